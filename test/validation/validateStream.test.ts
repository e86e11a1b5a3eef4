import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadPipeline } from '../../src/config/load';
import { contractSchema } from '../../src/steps/validate/settings';
import { maxRecordBytes } from '../../src/activities/validation/csvScanner';
import { validateStream } from '../../src/activities/validation/validateStream';
import { stepOf } from '../support/pipelines';

const ordersContract = contractSchema.parse({
  format: 'csv',
  columns: [
    { name: 'order_id', type: 'string' },
    { name: 'order_date', type: 'date' },
    { name: 'order_amount', type: 'decimal(18,2)' },
    { name: 'note', type: 'string', nullable: true },
  ],
});
const header = 'order_id,order_date,order_amount,note';

/** The text as a stream of chunks of `chunkBytes`, so records, quotes, CRLF pairs and the BOM straddle chunk boundaries. */
function chunked(text: string | Buffer, chunkBytes: number): Readable {
  const bytes = Buffer.from(text);
  return Readable.from(Array.from({ length: Math.ceil(bytes.length / chunkBytes) }, (_, i) => bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes)));
}

describe('validateStream', () => {
  it('passes the sample orders file against the orders contract', async () => {
    const sample = join(__dirname, '../../sample-data/orders/2024-01-15/orders_part1.csv');
    const { contract } = stepOf(loadPipeline('orders'), 'validate');
    await expect(validateStream(createReadStream(sample), contract)).resolves.toEqual({ rows: 4, errorCount: 0, sample: [] });
  });

  it(`stops at a record longer than ${maxRecordBytes / 1024 ** 2} MiB, which only a quote left open makes`, async () => {
    const text = `${header}\nO-1,2024-01-15,1.00,ok\nO-2,2024-01-15,1.00,"${'x'.repeat(maxRecordBytes)}`;
    const result = await validateStream(chunked(text, 64 * 1024), ordersContract);
    expect(result).toEqual({
      rows: 1,
      errorCount: 1,
      sample: [{ line: 3, reason: 'malformed CSV, checking stopped here: a record longer than 16 MiB (is a quote left open?)' }],
    });
  });

  it('reports progress while reading', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `O-${i},2024-01-15,1.00,`);
    const seen: number[] = [];
    await validateStream(Readable.from([[header, ...rows].join('\n')]), ordersContract, {
      progressEveryRows: 10,
      onProgress: (count) => seen.push(count),
    });
    expect(seen).toEqual([10, 20]);
  });

  it('stops reading when aborted', async () => {
    const endless = Readable.from(
      (function* () {
        yield `${header}\n`;
        for (;;) yield 'O-1,2024-01-15,1.00,\n';
      })(),
    );
    const controller = new AbortController();
    const validation = validateStream(endless, ordersContract, {
      progressEveryRows: 1000,
      onProgress: () => controller.abort(),
      signal: controller.signal,
    });
    await expect(validation).rejects.toMatchObject({ name: 'AbortError' });
    expect(endless.destroyed).toBe(true);
  });
});

describe.each([1, 2, 3, 7, 64 * 1024])('validateStream, the file in chunks of %i bytes', (chunkBytes) => {
  const validate = (text: string | Buffer, contract = ordersContract) => validateStream(chunked(text, chunkBytes), contract);

  it('reads quoted fields holding commas, quotes and newlines, and counts lines across them', async () => {
    const text = [header, 'O-1,2024-01-15,1.00,"gift, wrapped"', 'O-2,2024-01-15,2.00,"first line', 'second line with ""quotes"""', 'O-3,2024-01-15,bad,'].join(
      '\n',
    );
    const result = await validate(text);
    expect(result.rows).toBe(3);
    expect(result.sample).toEqual([{ line: 5, column: 'order_amount', value: 'bad', reason: 'not a decimal(18,2) number' }]);
  });

  it('reads CRLF line endings, also inside quoted fields, and ignores blank lines', async () => {
    const text = `${header}\r\nO-1,2024-01-15,1.00,"a\r\nb"\r\n\r\nO-2,2024-01-15,1.005,\r\n`;
    const result = await validate(text);
    expect(result.rows).toBe(2);
    expect(result.sample).toEqual([{ line: 5, column: 'order_amount', value: '1.005', reason: 'more than 2 digit(s) after the decimal point for decimal(18,2)' }]);
  });

  it('strips a UTF-8 byte order mark before the header', async () => {
    const result = await validate(`\uFEFF${header}\nO-1,2024-01-15,1.00,café\n`);
    expect(result).toEqual({ rows: 1, errorCount: 0, sample: [] });
  });

  it('reports an empty file as having no header', async () => {
    await expect(validate('')).resolves.toEqual({
      rows: 0,
      errorCount: 1,
      sample: [{ line: 1, reason: 'empty file: no header' }],
    });
  });

  it('accepts a header-only file with 0 rows', async () => {
    await expect(validate(`${header}\n`)).resolves.toEqual({ rows: 0, errorCount: 0, sample: [] });
  });

  it('reports a required column missing from the header, and still checks the others', async () => {
    const result = await validate('order_id,order_date,note\nO-1,2024-02-30,x\n');
    expect(result.sample).toEqual([
      { line: 1, column: 'order_amount', reason: 'required column missing from the header' },
      { line: 2, column: 'order_date', value: '2024-02-30', reason: 'no such date' },
    ]);
  });

  it('reports duplicate header columns', async () => {
    const result = await validate(`${header},order_id\nO-1,2024-01-15,1.00,,O-1\n`);
    expect(result.sample).toEqual([{ line: 1, column: 'order_id', reason: 'duplicate column in the header' }]);
  });

  it('allows extra columns unless the contract forbids them', async () => {
    const text = `${header},channel\nO-1,2024-01-15,1.00,,web\n`;
    expect((await validate(text)).errorCount).toBe(0);
    const strict = { ...ordersContract, allowExtraColumns: false };
    expect((await validate(text, strict)).sample).toEqual([{ line: 1, column: 'channel', reason: 'column not in the contract (allowExtraColumns is false)' }]);
  });

  it('matches columns by name, in any order', async () => {
    const result = await validate('order_amount,note,order_date,order_id\n1.00,,2024-01-15,O-1\n');
    expect(result).toEqual({ rows: 1, errorCount: 0, sample: [] });
  });

  it('reports a null in a non-nullable column with its line and column', async () => {
    const result = await validate(`${header}\nO-1,2024-01-15,1.00,\n,2024-01-15,1.00,\n`);
    expect(result.sample).toEqual([{ line: 3, column: 'order_id', value: '', reason: 'empty value in a column that is not nullable' }]);
  });

  it('reports bad decimal precision and scale, and impossible dates', async () => {
    const text = [header, 'O-1,2024-01-15,12345678901234567.00,', 'O-2,2024-01-15,1.234,', 'O-3,2024-02-30,1.00,'].join('\n');
    const result = await validate(text);
    expect(result.sample.map(({ line, column, reason }) => ({ line, column, reason }))).toEqual([
      { line: 2, column: 'order_amount', reason: 'more than 16 digit(s) before the decimal point for decimal(18,2)' },
      { line: 3, column: 'order_amount', reason: 'more than 2 digit(s) after the decimal point for decimal(18,2)' },
      { line: 4, column: 'order_date', reason: 'no such date' },
    ]);
  });

  it('reports a row with the wrong number of fields by its line number', async () => {
    const text = [header, 'O-1,2024-01-15,1.00,', 'O-2,2024-01-15,1.00', 'O-3,2024-01-15,1.00,,extra'].join('\n');
    const result = await validate(text);
    expect(result.rows).toBe(3);
    expect(result.sample).toEqual([
      { line: 3, reason: 'expected 4 fields as in the header, found 3' },
      { line: 4, reason: 'expected 4 fields as in the header, found 5' },
    ]);
  });

  it('keeps a bounded sample but counts every error', async () => {
    const badRows = Array.from({ length: 50 }, (_, i) => `O-${i},not-a-date,1.00,`);
    const result = await validate([header, ...badRows].join('\n'), { ...ordersContract, maxReportedErrors: 5 });
    expect(result.rows).toBe(50);
    expect(result.errorCount).toBe(50);
    expect(result.sample.map((violation) => violation.line)).toEqual([2, 3, 4, 5, 6]);
  });

  it('cuts long values in the sample', async () => {
    const result = await validate(`${header}\nO-1,2024-01-15,${'9'.repeat(500)},\n`);
    expect(result.sample[0].value).toBe(`${'9'.repeat(100)}…`);
  });

  it('stops at malformed quoting and says where', async () => {
    const result = await validate(`${header}\nO-1,2024-01-15,1.00,ok\nO-2,2024-01-15,1.00,"never closed\nO-3,x,y,z\n`);
    expect(result.rows).toBe(1);
    expect(result.errorCount).toBe(1);
    expect(result.sample[0]).toEqual({
      line: 3,
      reason: 'malformed CSV, checking stopped here: a quoted field is never closed (a quote is missing, or the file was cut short)',
    });
  });

  it.each([
    [
      'a quote inside an unquoted field',
      'O-2,2024-01-15,1.00,say "hi"',
      'a quote inside an unquoted field (quote the whole field, and double each quote inside it)',
    ],
    ['text after a closing quote', 'O-2,2024-01-15,1.00,"hi" there', 'a closing quote is followed by " " instead of the delimiter or the end of the line'],
  ])('stops at %s, at the line where its record starts', async (_, row, reason) => {
    const result = await validate(`${header}\nO-1,2024-01-15,1.00,"two\nlines"\n${row}\nO-3,x,y,z\n`);
    expect(result).toEqual({ rows: 1, errorCount: 1, sample: [{ line: 4, reason: `malformed CSV, checking stopped here: ${reason}` }] });
  });

  it('checks quoted values without their quotes, and doubled quotes as one', async () => {
    const text = `${header}\n"O-1","2024-01-15","1.00",""\nO-2,2024-01-15,"1""00",x\n`;
    expect((await validate(text)).sample).toEqual([{ line: 3, column: 'order_amount', value: '1"00', reason: 'not a decimal(18,2) number' }]);
  });

  it('reads a last record without a line break, and a quoted empty field as a value', async () => {
    const oneColumn = contractSchema.parse({ format: 'csv', columns: [{ name: 'order_id', type: 'string' }] });
    const result = await validate('order_id\nO-1\n""\n\nO-3', oneColumn);
    expect(result).toEqual({
      rows: 3,
      errorCount: 1,
      sample: [{ line: 3, column: 'order_id', value: '', reason: 'empty value in a column that is not nullable' }],
    });
  });

  it('ends each record at a line feed, whether the file mixes CRLF and LF or not', async () => {
    const text = `${header}\nO-1,2024-01-15,1.00,\r\nO-2,2024-01-15,bad,\nO-3,2024-01-15,2.00,x\r\n`;
    expect(await validate(text)).toEqual({
      rows: 3,
      errorCount: 1,
      sample: [{ line: 3, column: 'order_amount', value: 'bad', reason: 'not a decimal(18,2) number' }],
    });
  });

  it('reports the header at its own line after blank lines', async () => {
    const result = await validate(`\n\r\norder_id,order_date,note\nO-1,2024-01-15,\n`);
    expect(result.sample).toEqual([{ line: 3, column: 'order_amount', reason: 'required column missing from the header' }]);
  });

  it('reads records of a hundred fields', async () => {
    const extras = Array.from({ length: 100 }, (_, i) => `extra_${i}`);
    const text = `${header},${extras.join(',')}\nO-1,2024-01-15,1.00,,${extras.join(',')}\nO-2,2024-01-15,1.00,\n`;
    expect(await validate(text)).toEqual({ rows: 2, errorCount: 1, sample: [{ line: 3, reason: 'expected 104 fields as in the header, found 4' }] });
  });

  it('splits on a delimiter of several bytes, also inside a quoted field', async () => {
    const contract = { ...ordersContract, delimiter: '¦' };
    const text = `${header.replaceAll(',', '¦')}\nO-1¦2024-01-15¦1.00¦"a¦b"\nO-2¦2024-01-15¦1¦00¦ª\n`;
    expect(await validate(text, contract)).toEqual({
      rows: 2,
      errorCount: 1,
      sample: [{ line: 3, reason: 'expected 4 fields as in the header, found 5' }],
    });
  });

  describe('UTF-8, part of every contract', () => {
    it('passes multi-byte UTF-8 and a UTF-8 byte order mark, split across chunks', async () => {
      const text = `\ufeff${header}\nO-1,2024-01-15,1.00,"Café, grande 東京 🚚"\n`;
      await expect(validate(text)).resolves.toEqual({ rows: 1, errorCount: 0, sample: [] });
    });

    it('reports Latin-1 bytes with their line, column and byte', async () => {
      const latin1 = Buffer.concat([Buffer.from(`${header}\nO-1,2024-01-15,1.00,ok\nO-2,2024-01-15,1.00,Caf`), Buffer.from([0xe9]), Buffer.from('\n')]);
      const result = await validate(latin1);
      expect(result.errorCount).toBe(1);
      expect(result.sample).toEqual([
        {
          line: 3,
          column: 'note',
          value: 'Caf\ufffd',
          reason: 'not UTF-8: byte 0xE9 at byte 4 of the value (is the file Latin-1 or Windows-1252?); export it as UTF-8',
        },
      ]);
    });

    it('reports overlong forms and encoded surrogates, which are not UTF-8 either', async () => {
      const overlong = Buffer.from([0xc0, 0xaf]);
      const surrogate = Buffer.from([0xed, 0xa0, 0x80]);
      const text = Buffer.concat([Buffer.from(`${header}\nO-1,2024-01-15,1.00,`), overlong, Buffer.from('\nO-2,2024-01-15,1.00,a'), surrogate, Buffer.from('\n')]);
      const result = await validate(text);
      expect(result.sample.map(({ line, column, reason }) => ({ line, column, reason: reason.slice(0, 34) }))).toEqual([
        { line: 2, column: 'note', reason: 'not UTF-8: byte 0xC0 at byte 1 of ' },
        { line: 3, column: 'note', reason: 'not UTF-8: byte 0xED at byte 2 of ' },
      ]);
    });

    it('reports a NUL byte, also in a column the contract does not check', async () => {
      const result = await validate(`${header},extra\nO-1,2024-01-15,1.00,a\0b,ok\nO-2,2024-01-15,1.00,,x\0\n`);
      expect(result.sample).toEqual([
        { line: 2, column: 'note', value: 'a\0b', reason: 'NUL byte (0x00) at byte 2 of the value; Redshift COPY rejects NUL bytes' },
        { line: 3, column: 'extra', value: 'x\0', reason: 'NUL byte (0x00) at byte 2 of the value; Redshift COPY rejects NUL bytes' },
      ]);
    });

    it('refuses a UTF-16 file, with or without its byte order mark', async () => {
      const text = `${header}\nO-1,2024-01-15,1.00,\n`;
      const withMark = await validate(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      expect(withMark).toEqual({
        rows: 0,
        errorCount: 1,
        sample: [{ line: 1, reason: 'the file is encoded as UTF-16LE (it starts with the byte order mark FF FE); export it as UTF-8' }],
      });
      const bigEndian = await validate(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
      expect(bigEndian.sample[0].reason).toMatch(/^the file is encoded as UTF-16BE/);
      const utf32 = await validate(Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00]));
      expect(utf32.sample[0].reason).toMatch(/^the file is encoded as UTF-32LE/);
      // Without a mark, every ASCII character carries a NUL byte.
      const noMark = await validate(Buffer.from(text, 'utf16le'));
      expect(noMark.errorCount).toBeGreaterThan(0);
      expect(noMark.sample[0].reason).toMatch(/NUL byte/);
    });

    it('reports bad bytes in a column name', async () => {
      const text = Buffer.concat([Buffer.from('order_id,order_date,order_amount,note,n'), Buffer.from([0xf6]), Buffer.from('te\n')]);
      const result = await validate(text);
      expect(result.sample).toEqual([{ line: 1, value: 'n\ufffdte', reason: expect.stringMatching(/^in a column name: not UTF-8: byte 0xF6 at byte 2/) }]);
    });
  });
});
