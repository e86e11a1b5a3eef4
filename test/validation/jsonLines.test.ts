import { Readable } from 'node:stream';
import { everyTypeContract } from './everyTypeContract';
import { maxRecordBytes } from '../../src/activities/validation/csvScanner';
import { validateJsonLines } from '../../src/activities/validation/jsonLinesCheck';
import { chunked } from './chunkedStream';

const ordersContract = everyTypeContract('jsonl');

const good = {
  order_id: 'O-1',
  quantity: 3,
  order_amount: 15.5,
  order_date: '2024-01-15',
  created_at: '2024-01-15T08:12:00Z',
  gift: false,
  note: 'Café, grande',
};
const line = (fields: Record<string, unknown>) => JSON.stringify({ ...good, ...fields });

describe('validateJsonLines', () => {
  it('reports progress while reading', async () => {
    const seen: number[] = [];
    const text = Array.from({ length: 25 }, () => line({})).join('\n');
    await validateJsonLines(Readable.from([text]), ordersContract, { progressEveryRows: 10, onProgress: (rows) => seen.push(rows) });
    expect(seen).toEqual([10, 20]);
  });

  it('stops reading when aborted', async () => {
    const endless = Readable.from(
      (function* () {
        for (;;) yield `${line({})}\n`;
      })(),
    );
    const controller = new AbortController();
    const validation = validateJsonLines(endless, ordersContract, { progressEveryRows: 1000, onProgress: () => controller.abort(), signal: controller.signal });
    await expect(validation).rejects.toMatchObject({ name: 'AbortError' });
    expect(endless.destroyed).toBe(true);
  });

  it(`stops at a line longer than ${maxRecordBytes / 1024 ** 2} MiB, which a file that is one JSON document makes`, async () => {
    const text = `${line({})}\n[${'{"a": 1},'.repeat(maxRecordBytes / 9)}{}]\n${line({})}`;
    const result = await validateJsonLines(chunked(text, 64 * 1024), ordersContract);
    expect(result).toEqual({
      rows: 1,
      errorCount: 1,
      sample: [{ line: 2, reason: 'a line longer than 16 MiB, checking stopped here: is the file one JSON document rather than JSON Lines?' }],
    });
  });

  it('keeps a bounded sample and counts every violation', async () => {
    const text = Array.from({ length: 30 }, () => line({ order_date: 'soon' })).join('\n');
    const result = await validateJsonLines(Readable.from([text]), { ...ordersContract, maxReportedErrors: 5 });
    expect(result).toMatchObject({ rows: 30, errorCount: 30 });
    expect(result.sample.map((violation) => violation.line)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe.each([1, 2, 3, 7, 64 * 1024])('validateJsonLines, the file in chunks of %i bytes', (chunkBytes) => {
  const validate = (text: string | Buffer, contract = ordersContract) => validateJsonLines(chunked(text, chunkBytes), contract);

  it('passes a good file: a BOM, CRLF line ends, extra keys, numbers or strings for numeric columns, a missing nullable key, blank lines at the end', async () => {
    const text = [
      `\uFEFF${line({})}`,
      line({ quantity: '9223372036854775807', order_amount: '1234567890123456.78', extra: { nested: [1, 2] } }),
      line({ note: null, order_amount: 0.1, created_at: '2024-01-15 08:12:00.123456+01:00', gift: true }),
      JSON.stringify({ ...good, note: undefined }),
      '',
      '  ',
      '',
    ].join('\r\n');
    await expect(validate(text)).resolves.toEqual({ rows: 4, errorCount: 0, sample: [] });
  });

  it('passes an empty file: it holds no rows', async () => {
    await expect(validate('')).resolves.toEqual({ rows: 0, errorCount: 0, sample: [] });
  });

  it('reports a line that is not a JSON object, with its line number', async () => {
    const text = [line({}), '{"order_id": "O-2",', '[1, 2]', '42', 'null', line({})].join('\n');
    const result = await validate(text);
    expect(result.rows).toBe(6);
    expect(result.sample).toEqual([
      { line: 2, value: '{"order_id": "O-2",', reason: expect.stringMatching(/^not JSON: /) },
      { line: 3, value: '[1, 2]', reason: 'not a JSON object: the line holds an array; every line holds one object' },
      { line: 4, value: '42', reason: 'not a JSON object: the line holds a number; every line holds one object' },
      { line: 5, value: 'null', reason: 'not a JSON object: the line holds null; every line holds one object' },
    ]);
  });

  it('reports a missing key or a null in a column that is not nullable', async () => {
    const { order_id: _left, ...withoutId } = good;
    const result = await validate([JSON.stringify(withoutId), line({ order_date: null })].join('\n'));
    expect(result.sample).toEqual([
      { line: 1, column: 'order_id', reason: 'key missing, and the column is not nullable' },
      { line: 2, column: 'order_date', reason: 'null in a column that is not nullable' },
    ]);
  });

  it('checks each value against its column type', async () => {
    const lines = [
      line({ order_id: 42 }),
      line({ quantity: 1.5 }),
      line({ quantity: '12a' }),
      line({ quantity: 2 ** 60 }),
      line({ quantity: '9223372036854775808' }),
      line({ quantity: true }),
      line({ order_amount: 1.234 }),
      line({ order_amount: '12345678901234567.5' }),
      line({ order_amount: 12345678901234.56 }),
      line({ order_amount: [1] }),
      line({ order_date: '2024-02-30' }),
      line({ order_date: 20240115 }),
      line({ created_at: '2024-01-15' }),
      line({ gift: 'yes' }),
      line({ note: 'a\u0000b' }),
      line({ note: 'half \ud800 a pair' }),
    ];
    const result = await validate(lines.join('\n'));
    expect(result.sample).toEqual([
      { line: 1, column: 'order_id', value: '42', reason: 'expected a JSON string for a string column, found a number' },
      { line: 2, column: 'quantity', value: '1.5', reason: 'not an integer' },
      { line: 3, column: 'quantity', value: '12a', reason: 'not an integer' },
      {
        line: 4,
        column: 'quantity',
        value: String(2 ** 60),
        reason: 'integer beyond 2^53 - 1, which a JSON number cannot hold exactly: write it as a string of digits',
      },
      { line: 5, column: 'quantity', value: '9223372036854775808', reason: 'integer out of the 64-bit range' },
      { line: 6, column: 'quantity', value: 'true', reason: 'not an integer: expected a JSON number or a string of digits, found a boolean' },
      { line: 7, column: 'order_amount', value: '1.234', reason: 'more than 2 digit(s) after the decimal point for decimal(18,2)' },
      { line: 8, column: 'order_amount', value: '12345678901234567.5', reason: 'more than 16 digit(s) before the decimal point for decimal(18,2)' },
      {
        line: 9,
        column: 'order_amount',
        value: '12345678901234.56',
        reason: 'more than 15 significant digits, which a JSON number cannot hold exactly: write it as a string',
      },
      { line: 10, column: 'order_amount', value: '[1]', reason: 'not a decimal(18,2) number: expected a JSON number or a string, found an array' },
      { line: 11, column: 'order_date', value: '2024-02-30', reason: 'no such date' },
      { line: 12, column: 'order_date', value: '20240115', reason: 'expected a JSON string for a date column, found a number' },
      {
        line: 13,
        column: 'created_at',
        value: '2024-01-15',
        reason: 'not a timestamp (expected ISO 8601 or YYYY-MM-DD HH:MM:SS[.ffffff], optionally with a zone)',
      },
      { line: 14, column: 'gift', value: 'yes', reason: 'not a boolean: expected true or false, found a string' },
      { line: 15, column: 'note', value: 'a\u0000b', reason: 'NUL character (\\u0000); Redshift COPY rejects NUL' },
      { line: 16, column: 'note', value: 'half \ud800 a pair', reason: 'not UTF-8: an unpaired surrogate escape (\\uD800-\\uDFFF)' },
    ]);
    expect(result).toMatchObject({ rows: 16, errorCount: 16 });
  });

  it('reports keys the contract does not list when allowExtraColumns is false', async () => {
    const strict = { ...ordersContract, allowExtraColumns: false };
    const result = await validate([line({}), line({ coupon: 'X' })].join('\n'), strict);
    expect(result.sample).toEqual([{ line: 2, column: 'coupon', reason: 'key not in the contract (allowExtraColumns is false)' }]);
  });

  it('reports blank lines followed by more objects', async () => {
    const result = await validate([line({}), '', ' ', line({}), ''].join('\n'));
    expect(result).toEqual({
      rows: 2,
      errorCount: 2,
      sample: [
        { line: 2, reason: 'blank line: every line holds one JSON object' },
        { line: 3, reason: 'blank line: every line holds one JSON object' },
      ],
    });
  });

  it('reports bytes that are not UTF-8, and a file in UTF-16', async () => {
    const latin1 = Buffer.concat([Buffer.from(`${line({})}\n{"order_id": "caf`), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    const result = await validate(latin1);
    expect(result.sample).toEqual([{ line: 2, reason: expect.stringMatching(/^not UTF-8: byte 0xE9 at byte 18 of the value/) }]);

    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${line({})}\n`, 'utf16le')]);
    await expect(validate(utf16)).resolves.toEqual({
      rows: 0,
      errorCount: 1,
      sample: [{ line: 1, reason: 'the file is encoded as UTF-16LE (it starts with the byte order mark FF FE); export it as UTF-8' }],
    });
  });
});
