import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ApplicationFailure } from '@temporalio/common';
import { loadPipeline } from '../../src/config/load';
import type { PipelineConfig } from '../../src/config/schema';
import { contractSchema } from '../../src/steps/validate/settings';
import type { ValidationResult } from '../../src/shared/stepResults';
import { createBucket, getObjectBytes, listKeys, putObject, startLocalAws, type LocalAws } from '../support/aws';
import { stepOf, withStep } from '../support/pipelines';
import { validateAsRun } from '../support/validation';
import { closeParquetWriter, parquetFile, type FixtureColumn } from '../emulator/parquetFixtures';

// The orders pipeline with its contract's columns, for files delivered as JSON Lines or Parquet. Every
// expectation counts objects in S3 (moto) or reads the reports written there.

const orders = loadPipeline('orders');
const bucket = orders.s3.bucket;
const withFormat = (format: 'jsonl' | 'parquet'): PipelineConfig =>
  withStep(orders, 'validate', { contract: contractSchema.parse({ ...stepOf(orders, 'validate').contract, format }) });
const jsonLines = withFormat('jsonl');
const parquet = withFormat('parquet');
/** orders.jsonl.bz2 and orders.jsonl.zst hold three valid orders. */
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));

let aws: LocalAws;
/** The S3 requests made, as command name and Range header. */
const requests: { command: string; key?: string; range?: string }[] = [];
beforeAll(async () => {
  aws = await startLocalAws();
  await createBucket(aws.s3, bucket);
  aws.s3.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: string; Range?: string };
      requests.push({ command: context.commandName ?? '', key: input.Key, range: input.Range });
      return next(args);
    },
    { step: 'initialize' },
  );
});
afterAll(async () => {
  await closeParquetWriter();
  await aws?.stop();
});

const land = (date: string, name: string, body: string | Uint8Array) => putObject(aws.s3, bucket, `raw/orders/${date}/${name}`, body);
const names = async (folder: string, date: string) =>
  (await listKeys(aws.s3, bucket, `${folder}/orders/${date}/`)).map((key) => key.slice(`${folder}/orders/${date}/`.length));
const report = async (date: string, name: string) => JSON.parse((await getObjectBytes(aws.s3, bucket, `errors/orders/${date}/${name}.report.json`)).toString());
const validate = async (pipeline: PipelineConfig, date: string) => (await validateAsRun(aws.s3, { pipeline, date })).result;

const order = (id: number, fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    order_id: `O-${id}`,
    customer_id: 'C-1',
    order_date: '2024-05-01',
    order_amount: '12.50',
    product_id: null,
    created_at: '2024-05-01T08:12:00Z',
    order_status: 'completed',
    ...fields,
  });

describe('JSON Lines files', () => {
  it('validates plain and compressed files, moving them byte for byte to validated/', async () => {
    const date = '2024-05-01';
    const plain = `${[order(1), order(2)].join('\n')}\n`;
    const gzipped = gzipSync(plain);
    await land(date, 'a.jsonl', plain);
    await land(date, 'b.jsonl.gz', gzipped);
    await land(date, 'c.jsonl.bz2', fixture('orders.jsonl.bz2'));
    await land(date, 'd.jsonl.zst', fixture('orders.jsonl.zst'));

    const result = (await validate(jsonLines, date)) as ValidationResult;

    expect(result.files.map((file) => [file.key.slice(`raw/orders/${date}/`.length), file.outcome, file.rows])).toEqual([
      ['a.jsonl', 'validated', 2],
      ['b.jsonl.gz', 'validated', 2],
      ['c.jsonl.bz2', 'validated', 3],
      ['d.jsonl.zst', 'validated', 3],
    ]);
    expect(result.rowsValidated).toBe(10);
    expect(await names('raw', date)).toEqual([]);
    expect(await names('validated', date)).toEqual(['a.jsonl', 'b.jsonl.gz', 'c.jsonl.bz2', 'd.jsonl.zst']);
    expect(await names('errors', date)).toEqual([]);
    expect((await getObjectBytes(aws.s3, bucket, `validated/orders/${date}/b.jsonl.gz`)).equals(gzipped)).toBe(true);
  });

  it('moves an invalid file to errors/ with a report giving line, column, reason and value, and fails the date', async () => {
    const date = '2024-05-02';
    await land(date, 'good.jsonl', `${order(1)}\n`);
    const bad = [order(1), order(2, { order_amount: 1.234 }), 'not json', order(4, { order_id: null })].join('\n');
    await land(date, 'bad.jsonl', bad);

    const failure = (await validate(jsonLines, date)) as ApplicationFailure;

    expect({ type: failure.type, nonRetryable: failure.nonRetryable }).toEqual({ type: 'InvalidFiles', nonRetryable: true });
    expect(failure.message).toContain('- bad.jsonl: line 2, column order_amount, value "1.234": more than 2 digit(s) after the decimal point for decimal(18,2)');
    expect(await names('raw', date)).toEqual([]);
    expect(await names('validated', date)).toEqual(['good.jsonl']);
    expect(await names('errors', date)).toEqual(['bad.jsonl', 'bad.jsonl.report.json']);
    expect((await getObjectBytes(aws.s3, bucket, `errors/orders/${date}/bad.jsonl`)).toString()).toBe(bad);
    expect(await report(date, 'bad.jsonl')).toEqual({
      file: `s3://${bucket}/raw/orders/${date}/bad.jsonl`,
      reason: '3 errors, the first at line 2, column order_amount, value "1.234": more than 2 digit(s) after the decimal point for decimal(18,2)',
      errorCount: 3,
      rowsChecked: 4,
      sample: [
        { line: 2, column: 'order_amount', value: '1.234', reason: 'more than 2 digit(s) after the decimal point for decimal(18,2)' },
        { line: 3, value: 'not json', reason: expect.stringMatching(/^not JSON: /) },
        { line: 4, column: 'order_id', reason: 'null in a column that is not nullable' },
      ],
      checkedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });
});

const day = new Date('2024-05-01T00:00:00Z');
/** An orders Parquet file of `rows` rows, with some columns replaced. */
function ordersParquet(rows: number, changes: Record<string, Partial<FixtureColumn>> = {}) {
  const column = (name: string, value: (i: number) => unknown, type: Partial<FixtureColumn>): FixtureColumn => ({
    name,
    data: Array.from({ length: rows }, (_, i) => value(i)),
    ...type,
    ...changes[name],
  });
  return parquetFile([
    // Distinct ids, so the file is larger than one read of its footer.
    column('order_id', (i) => `O-${i}-${(i * 2654435761) % 4294967296}`, { type: 'STRING' }),
    column('customer_id', (i) => `C-${i % 7}`, { type: 'STRING' }),
    column('order_date', () => day, { element: { type: 'INT32', converted_type: 'DATE' } }),
    column('order_amount', (i) => i / 4, { element: { type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 2 } }),
    column('product_id', (i) => (i % 3 ? `P-${i % 5}` : null), { type: 'STRING' }),
    column('created_at', () => day, { type: 'TIMESTAMP' }),
    column('order_status', () => 'completed', { type: 'STRING' }),
  ]);
}

describe('Parquet files', () => {
  it('validates a file by its footer, read with ranged GETs, and moves it byte for byte to validated/', async () => {
    const date = '2024-05-03';
    const body = await ordersParquet(20_000);
    await land(date, 'orders.parquet', body);
    requests.length = 0;

    const result = (await validate(parquet, date)) as ValidationResult;

    expect(result.files).toEqual([
      { key: `raw/orders/${date}/orders.parquet`, outcome: 'validated', rows: 20_000, movedTo: `validated/orders/${date}/orders.parquet` },
    ]);
    expect(await names('raw', date)).toEqual([]);
    expect(await names('validated', date)).toEqual(['orders.parquet']);
    expect((await getObjectBytes(aws.s3, bucket, `validated/orders/${date}/orders.parquet`)).equals(Buffer.from(body))).toBe(true);
    // Only the footer and the leading "PAR1" were read, never the whole file.
    const reads = requests.filter((request) => request.command === 'GetObjectCommand' && request.key === `raw/orders/${date}/orders.parquet`);
    expect(reads.length).toBeGreaterThan(0);
    const bytesRead = reads.reduce((sum, { range }) => {
      const [, start, end] = /^bytes=(\d+)-(\d+)$/.exec(range ?? '') ?? [];
      expect(range).toMatch(/^bytes=\d+-\d+$/);
      return sum + Number(end) - Number(start) + 1;
    }, 0);
    expect(bytesRead).toBeLessThan(body.length / 2);
  });

  it('moves invalid files to errors/ with reports naming the column, the row group or the reason it is not Parquet, and fails the date', async () => {
    const date = '2024-05-04';
    await land(date, 'good.parquet', await ordersParquet(3));
    // hyparquet-writer's first row group holds 1000 rows: the null lies in the second.
    await land(date, 'nulls.parquet', await ordersParquet(1001, { customer_id: { data: [...Array.from({ length: 1000 }, () => 'C-1'), null] } }));
    await land(
      date,
      'types.parquet',
      await ordersParquet(3, { order_date: { type: 'STRING', element: undefined, data: ['2024-05-04', '2024-05-04', '2024-05-04'] } }),
    );
    await land(date, 'orders.csv.parquet', 'order_id,customer_id\nO-1,C-1\n');
    const truncated = await ordersParquet(3);
    await land(date, 'truncated.parquet', truncated.subarray(0, truncated.length - 20));
    await land(date, 'tiny.parquet', 'PAR1');
    await land(date, 'whole.parquet.gz', gzipSync(truncated));

    const failure = (await validate(parquet, date)) as ApplicationFailure;

    expect(failure.type).toBe('InvalidFiles');
    expect(await names('raw', date)).toEqual([]);
    expect(await names('validated', date)).toEqual(['good.parquet']);
    expect(await names('errors', date)).toEqual([
      'nulls.parquet',
      'nulls.parquet.report.json',
      'orders.csv.parquet',
      'orders.csv.parquet.report.json',
      'tiny.parquet',
      'tiny.parquet.report.json',
      'truncated.parquet',
      'truncated.parquet.report.json',
      'types.parquet',
      'types.parquet.report.json',
      'whole.parquet.gz',
      'whole.parquet.gz.report.json',
    ]);
    expect(await report(date, 'nulls.parquet')).toMatchObject({
      reason: "row group 1, column customer_id: 1 null(s) in a column that is not nullable (the row group's statistics)",
      rowsChecked: 1001,
      sample: [{ rowGroup: 1, column: 'customer_id', reason: "1 null(s) in a column that is not nullable (the row group's statistics)" }],
    });
    expect(await report(date, 'types.parquet')).toMatchObject({
      errorCount: 1,
      sample: [{ column: 'order_date', reason: 'is BYTE_ARRAY (STRING) in the file; the contract type date needs INT32 annotated DATE' }],
    });
    expect((await report(date, 'tiny.parquet')).reason).toBe(
      "not a Parquet file: it is 4 byte(s) long, shorter than any Parquet file; land a complete Parquet file, or set the contract's format to what the file is",
    );
    expect((await report(date, 'whole.parquet.gz')).reason).toBe(
      'a Parquet file compressed as a whole (gzip) cannot be read by its footer, nor by Glue or Redshift COPY: land it uncompressed (Parquet compresses its own column chunks)',
    );
    for (const name of ['orders.csv.parquet', 'truncated.parquet']) {
      expect((await report(date, name)).sample).toEqual([
        {
          reason:
            'not a Parquet file: it does not end with the "PAR1" mark (is it cut short, or another format?); ' +
            "land a complete Parquet file, or set the contract's format to what the file is",
        },
      ]);
    }
  });
});
