import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ApplicationFailure } from '@temporalio/common';
import { loadPipeline } from '../../src/config/load';
import type { ValidationResult } from '../../src/shared/stepResults';
import { createBucket, getObjectBytes, listKeys, putObject, startLocalAws, type LocalAws } from '../support/aws';
import { validateAsRun } from '../support/validation';
import { ordersHeader } from '../support/orderFiles';

// Compressed exports are checked on their decompressed text and moved as they are: the bytes Glue reads.
// Every expectation counts objects in S3 (moto) or reads the reports written there.

const orders = loadPipeline('orders');
const bucket = orders.s3.bucket;
/** orders.csv.bz2 and orders.csv.zst hold three valid rows for 2024-04-01, one with a quoted line break. */
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
  await createBucket(aws.s3, bucket);
});
afterAll(() => aws?.stop());

const land = (date: string, name: string, body: Uint8Array) => putObject(aws.s3, bucket, `raw/orders/${date}/${name}`, body);
const landEncoded = (date: string, name: string, body: Uint8Array, contentEncoding: string) =>
  aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `raw/orders/${date}/${name}`, Body: body, ContentEncoding: contentEncoding }));
const names = async (folder: string, date: string) =>
  (await listKeys(aws.s3, bucket, `${folder}/orders/${date}/`)).map((key) => key.slice(`${folder}/orders/${date}/`.length));
const report = async (date: string, name: string) => JSON.parse((await getObjectBytes(aws.s3, bucket, `errors/orders/${date}/${name}.report.json`)).toString());
const validate = async (date: string) => (await validateAsRun(aws.s3, { pipeline: orders, date })).result;

describe('compressed exports', () => {
  it('validates gzip, bzip2 and zstd files on their text and moves them byte for byte, counting their rows', async () => {
    const date = '2024-04-01';
    const csv = `${ordersHeader}\nO-4,C-4,${date},1.00,,,completed\nO-5,C-5,${date},2.00,,,completed\n`;
    const gzipped = gzipSync(csv);
    await land(date, 'a.csv.gz', gzipped);
    await land(date, 'b.csv.bz2', fixture('orders.csv.bz2'));
    await land(date, 'c.csv.zst', fixture('orders.csv.zst'));
    // No extension, but stored with Content-Encoding: gzip, as a producer that compresses on upload does.
    await landEncoded(date, 'd.csv', gzipped, 'gzip');

    const result = (await validate(date)) as ValidationResult;

    expect(result.files.map((file) => [file.key.slice(`raw/orders/${date}/`.length), file.outcome, file.rows])).toEqual([
      ['a.csv.gz', 'validated', 2],
      ['b.csv.bz2', 'validated', 3],
      ['c.csv.zst', 'validated', 3],
      ['d.csv', 'validated', 2],
    ]);
    expect(result.rowsValidated).toBe(10);
    expect(await names('raw', date)).toEqual([]);
    expect(await names('validated', date)).toEqual(['a.csv.gz', 'b.csv.bz2', 'c.csv.zst', 'd.csv']);
    const moved = (name: string) => getObjectBytes(aws.s3, bucket, `validated/orders/${date}/${name}`);
    expect((await moved('a.csv.gz')).equals(gzipped)).toBe(true);
    expect((await moved('b.csv.bz2')).equals(fixture('orders.csv.bz2'))).toBe(true);
    expect((await moved('c.csv.zst')).equals(fixture('orders.csv.zst'))).toBe(true);
    expect((await moved('d.csv')).equals(gzipped)).toBe(true);
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `validated/orders/${date}/d.csv` }));
    expect(head.ContentEncoding).toBe('gzip');
  });

  it('rejects a gzip file with a bad row, reporting the line of the decompressed text', async () => {
    const date = '2024-04-02';
    // The quoted line break makes the bad row line 5 of the text.
    const csv = `${ordersHeader}\nO-1,C-1,${date},1.00,,,"pending\nreview"\nO-2,C-1,${date},2.00,,,completed\nO-3,C-1,${date},not-a-number,,,completed\n`;
    const gzipped = gzipSync(csv);
    await land(date, 'orders.csv.gz', gzipped);

    expect(await validate(date)).toMatchObject({ type: 'InvalidFiles', nonRetryable: true });

    expect(await names('errors', date)).toEqual(['orders.csv.gz', 'orders.csv.gz.report.json']);
    expect((await getObjectBytes(aws.s3, bucket, `errors/orders/${date}/orders.csv.gz`)).equals(gzipped)).toBe(true);
    expect(await report(date, 'orders.csv.gz')).toMatchObject({
      errorCount: 1,
      rowsChecked: 3,
      sample: [{ line: 5, column: 'order_amount', value: 'not-a-number' }],
    });
  });

  it('rejects corrupt and truncated compressed data with the reason, the line where its text stops, and no crash', async () => {
    const date = '2024-04-03';
    const rows = Array.from({ length: 2000 }, (_, i) => `O-${i},C-1,${date},1.00,,,completed`).join('\n');
    const gzipped = gzipSync(`${ordersHeader}\n${rows}\n`);
    await land(date, 'truncated.csv.gz', gzipped.subarray(0, gzipped.length - 100));
    await land(date, 'not-gzip.csv.gz', Buffer.from(`${ordersHeader}\n`));
    const zstd = fixture('orders.csv.zst');
    await land(date, 'truncated.csv.zst', zstd.subarray(0, zstd.length - 20));
    const bzip2 = fixture('orders.csv.bz2');
    await land(date, 'truncated.csv.bz2', bzip2.subarray(0, bzip2.length - 40));

    const failure = (await validate(date)) as ApplicationFailure;

    expect(failure).toMatchObject({ type: 'InvalidFiles', nonRetryable: true });
    expect(await names('validated', date)).toEqual([]);
    const truncated = await report(date, 'truncated.csv.gz');
    expect(truncated.errorCount).toBe(1);
    expect(truncated.sample).toHaveLength(1);
    expect(truncated.sample[0].reason).toMatch(
      /^the gzip data is corrupt or truncated \(unexpected end of file\): it could not be decompressed after \d+ byte\(s\) of text/,
    );
    expect(truncated.sample[0].reason).toContain('export the file again and land it in raw/');
    // The text stops near its end: the line is where it stopped, not line 1.
    expect(truncated.sample[0].line).toBeGreaterThan(1900);
    expect((await report(date, 'not-gzip.csv.gz')).sample).toEqual([
      { line: 1, reason: expect.stringMatching(/^the gzip data is corrupt or truncated \(incorrect header check\)/) },
    ]);
    expect((await report(date, 'truncated.csv.zst')).sample).toEqual([{ line: 1, reason: expect.stringMatching(/^the zstd data is corrupt or truncated/) }]);
    expect((await report(date, 'truncated.csv.bz2')).sample).toEqual([
      { line: expect.any(Number), reason: expect.stringMatching(/^the bzip2 data is corrupt or truncated:/) },
    ]);
    expect(failure.message).toContain('- truncated.csv.gz: line');
  });

  it('rejects compressions it cannot read, saying which ones it reads, and a compressed file named as plain text', async () => {
    const date = '2024-04-04';
    await land(date, 'orders.zip', Buffer.from('PK\x03\x04 not read'));
    await landEncoded(date, 'orders.csv', Buffer.from('brotli bytes'), 'br');
    await land(date, 'hidden.csv', gzipSync(`${ordersHeader}\n`));

    expect(await validate(date)).toMatchObject({ type: 'InvalidFiles', nonRetryable: true });

    expect(await names('errors', date)).toEqual([
      'hidden.csv',
      'hidden.csv.report.json',
      'orders.csv',
      'orders.csv.report.json',
      'orders.zip',
      'orders.zip.report.json',
    ]);
    const supported = 'validation reads gzip (.gz), bzip2 (.bz2) and zstd (.zst), by file extension or Content-Encoding';
    expect((await report(date, 'orders.zip')).sample).toEqual([
      { line: 1, reason: `unsupported compression: the file is named .zip; ${supported}; export the file uncompressed or in one of those` },
    ]);
    expect((await report(date, 'orders.csv')).sample).toEqual([
      { line: 1, reason: `unsupported compression: the object is stored with Content-Encoding: br; ${supported}; export the file uncompressed or in one of those` },
    ]);
    expect((await report(date, 'hidden.csv')).sample).toEqual([
      {
        line: 1,
        reason:
          'the file is gzip-compressed, but neither its name nor its Content-Encoding says so; land it under a name ending in .gz (Glue reads compression from the name)',
      },
    ]);
  });
});
