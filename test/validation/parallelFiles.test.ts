import { S3Client } from '@aws-sdk/client-s3';
import { loadPipeline } from '../../src/config/load';
import type { ValidationProgress } from '../../src/activities/validation/activity';
import { readStamp } from '../../src/activities/validation/s3Moves';
import type { ValidationResult } from '../../src/shared/stepResults';
import { createBucket, listKeys, putObject, startLocalAws, type LocalAws } from '../support/aws';
import { validateAsRun } from '../support/validation';
import { ordersHeader } from '../support/orderFiles';

// A date's files are checked several at once, within a bound, with the same outcomes as one at a time.
// Expectations count objects in S3 (moto) and the step's heartbeats.

const orders = loadPipeline('orders');
const bucket = orders.s3.bucket;

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
  await createBucket(aws.s3, bucket);
});
afterAll(() => aws?.stop());

/** An S3 client pointed at moto that records the most files being read at once: from GetObject sent to its body closed. */
function s3CountingReads(): { s3: S3Client; mostAtOnce: () => number } {
  const s3 = new S3Client({ endpoint: aws.moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true });
  let reading = 0;
  let most = 0;
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'GetObjectCommand') return next(args);
      most = Math.max(most, ++reading);
      const response = await next(args);
      (response.output as { Body: NodeJS.ReadableStream }).Body.once('close', () => (reading -= 1));
      return response;
    },
    { step: 'initialize' },
  );
  return { s3, mostAtOnce: () => most };
}

describe("a date's files in parallel", () => {
  it('checks every file once, at most fileConcurrency at a time, heartbeating files and bytes done', async () => {
    const date = '2024-06-01';
    const names = Array.from({ length: 30 }, (_, i) => `part-${String(i).padStart(2, '0')}.csv`);
    let bytes = 0;
    for (const [i, name] of names.entries()) {
      const rows = Array.from({ length: 50 + i }, (_, r) => `O-${i}-${r},C-1,${date},1.00,,,completed`);
      // One broken file among them still blocks the date.
      if (name === 'part-17.csv') rows[10] = `O-bad,C-1,${date},1.2345,,,completed`;
      const body = `${ordersHeader}\n${rows.join('\n')}\n`;
      bytes += Buffer.byteLength(body);
      await putObject(aws.s3, bucket, `raw/orders/${date}/${name}`, body);
    }
    const { s3, mostAtOnce } = s3CountingReads();

    const { result: failure, heartbeats } = await validateAsRun(s3, { pipeline: orders, date }, { fileConcurrency: 5 });

    expect(failure).toMatchObject({ type: 'InvalidFiles', nonRetryable: true });
    expect((failure as Error).message).toContain('- part-17.csv: line 12, column order_amount, value "1.2345"');
    const result = (failure as { details: [ValidationResult] }).details[0];
    // In listing order, each file once.
    expect(result.files.map((file) => file.key)).toEqual(names.map((name) => `raw/orders/${date}/${name}`));
    expect(result.rowsValidated).toBe(names.reduce((sum, _, i) => sum + (i === 17 ? 0 : 50 + i), 0));
    expect(await listKeys(aws.s3, bucket, `raw/orders/${date}/`)).toEqual([]);
    expect(await listKeys(aws.s3, bucket, `validated/orders/${date}/`)).toEqual(
      names.filter((name) => name !== 'part-17.csv').map((name) => `validated/orders/${date}/${name}`),
    );
    expect(await listKeys(aws.s3, bucket, `errors/orders/${date}/`)).toEqual([`errors/orders/${date}/part-17.csv`, `errors/orders/${date}/part-17.csv.report.json`]);
    const stamps = await Promise.all(names.filter((name) => name !== 'part-17.csv').map((name) => readStamp(aws.s3, bucket, `validated/orders/${date}/${name}`)));
    expect(new Set(stamps.map((stamp) => stamp?.runId)).size).toBe(1);

    expect(mostAtOnce()).toBeGreaterThan(1);
    expect(mostAtOnce()).toBeLessThanOrEqual(5);
    const progress = heartbeats as ValidationProgress[];
    expect(progress.at(-1)).toMatchObject({ round: 1, filesDone: 30, filesToCheck: 30, bytesDone: bytes, bytesToCheck: bytes });
    const filesDone = progress.map((beat) => beat.filesDone);
    expect(filesDone).toEqual([...filesDone].sort((a, b) => a - b));
    s3.destroy();
  });
});
