import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { loadPipeline } from '../../src/config/load';
import { createValidationActivities } from '../../src/activities/validation/activity';
import { fileCheckInput } from '../../src/shared/activityInputs';
import type { ValidationResult } from '../../src/shared/stepResults';
import { createBucket, getObjectBytes, listKeys, putObject, startLocalAws, type LocalAws } from '../support/aws';
import { stepOf } from '../support/pipelines';
import { validateAsRun } from '../support/validation';
import { ordersHeader } from '../support/orderFiles';

const pipeline = loadPipeline('orders');
const bucket = pipeline.s3.bucket;
const sampleDir = join(__dirname, '../../sample-data/orders/2024-01-15');
const sampleFiles = ['orders_part1.csv', 'orders_part2.csv'];

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
  await createBucket(aws.s3, bucket);
});
afterAll(() => aws?.stop());

/** Runs validateFiles as Temporal would, recording its heartbeats; each call is another pipeline run. */
const validateFiles = (run: Parameters<typeof validateAsRun>[1]) => validateAsRun(aws.s3, run);

async function uploadSamples(date: string) {
  for (const name of sampleFiles) {
    await putObject(aws.s3, bucket, `raw/orders/${date}/${name}`, readFileSync(join(sampleDir, name)));
  }
}

describe('validateFiles against moto S3', () => {
  it('moves valid files, byte for byte, from raw/ to validated/', async () => {
    const date = '2024-01-15';
    await uploadSamples(date);
    const unicodeName = 'orders été 3.csv';
    const unicodeBody = `${ordersHeader}\nO-2001,C-009,2024-01-15,9.99,"Café, grande",,completed\n`;
    await putObject(aws.s3, bucket, `raw/orders/${date}/${unicodeName}`, unicodeBody);
    await putObject(aws.s3, bucket, `raw/orders/${date}/headers_only.csv`, `${ordersHeader}\n`);

    const { result, heartbeats } = await validateFiles({ pipeline, date });

    // S3 lists keys in UTF-8 byte order, and the files are validated in that order.

    expect(result).toEqual({
      files: [
        { key: `raw/orders/${date}/headers_only.csv`, outcome: 'validated', rows: 0, movedTo: `validated/orders/${date}/headers_only.csv` },
        { key: `raw/orders/${date}/${unicodeName}`, outcome: 'validated', rows: 1, movedTo: `validated/orders/${date}/${unicodeName}` },
        { key: `raw/orders/${date}/orders_part1.csv`, outcome: 'validated', rows: 4, movedTo: `validated/orders/${date}/orders_part1.csv` },
        { key: `raw/orders/${date}/orders_part2.csv`, outcome: 'validated', rows: 4, movedTo: `validated/orders/${date}/orders_part2.csv` },
      ],
      rowsValidated: 9,
      previouslyValidatedFiles: 0,
      ignoredFiles: [],
      setAsideFiles: [],
    });
    expect(await listKeys(aws.s3, bucket, `raw/orders/${date}/`)).toEqual([]);
    for (const name of sampleFiles) {
      const moved = await getObjectBytes(aws.s3, bucket, `validated/orders/${date}/${name}`);
      expect(moved.equals(readFileSync(join(sampleDir, name)))).toBe(true);
    }
    expect((await getObjectBytes(aws.s3, bucket, `validated/orders/${date}/${unicodeName}`)).toString()).toBe(unicodeBody);
    expect(heartbeats).toContainEqual(expect.objectContaining({ file: `raw/orders/${date}/orders_part1.csv` }));
  });

  it('moves a malformed file to errors/ unchanged, with a JSON report beside it, and fails non-retryably', async () => {
    const date = '2024-01-16';
    await uploadSamples(date);
    const bad = `${ordersHeader}\r\nO-1,C-1,2024-02-30,1.00,,,completed\r\nO-2,C-1,2024-01-16,1.234,,,completed\r\nO-3,C-1\r\n`;
    await putObject(aws.s3, bucket, `raw/orders/${date}/orders bad.csv`, bad);
    await putObject(aws.s3, bucket, `raw/orders/${date}/no header.csv`, '\n');

    const { result: failure } = await validateFiles({ pipeline, date });

    expect(failure).toBeInstanceOf(ApplicationFailure);
    const { type, nonRetryable, message, details } = failure as ApplicationFailure;
    expect({ type, nonRetryable }).toEqual({ type: 'InvalidFiles', nonRetryable: true });
    expect(message).toMatch(new RegExp(`^2 file\\(s\\) of orders ${date} break the file contract; they are in s3://${bucket}/errors/orders/${date}/`));
    expect(message).toContain(
      `- orders bad.csv: line 2, column order_date, value "2024-02-30": no such date ` +
        `(3 error(s) in all; report: s3://${bucket}/errors/orders/${date}/orders bad.csv.report.json)`,
    );
    expect(message).toContain(`- no header.csv: line 1: empty file: no header (1 error(s) in all;`);
    expect(message).toContain(`etl drop-file --pipeline orders --date ${date} --file <name>`);
    const result = details?.[0] as ValidationResult;
    expect(result).toMatchObject({ rowsValidated: 8, previouslyValidatedFiles: 0 });
    expect(result.files).toContainEqual({
      key: `raw/orders/${date}/orders bad.csv`,
      outcome: 'invalid',
      rows: 3,
      movedTo: `errors/orders/${date}/orders bad.csv`,
      reportKey: `errors/orders/${date}/orders bad.csv.report.json`,
      errorCount: 3,
      firstError: 'line 2, column order_date, value "2024-02-30": no such date',
    });

    expect(await listKeys(aws.s3, bucket, `raw/orders/${date}/`)).toEqual([]);
    expect(await listKeys(aws.s3, bucket, `validated/orders/${date}/`)).toEqual(sampleFiles.map((name) => `validated/orders/${date}/${name}`));
    expect(await listKeys(aws.s3, bucket, `errors/orders/${date}/`)).toEqual([
      `errors/orders/${date}/no header.csv`,
      `errors/orders/${date}/no header.csv.report.json`,
      `errors/orders/${date}/orders bad.csv`,
      `errors/orders/${date}/orders bad.csv.report.json`,
    ]);
    expect((await getObjectBytes(aws.s3, bucket, `errors/orders/${date}/orders bad.csv`)).toString()).toBe(bad);
    const report = JSON.parse((await getObjectBytes(aws.s3, bucket, `errors/orders/${date}/orders bad.csv.report.json`)).toString());
    expect(report).toEqual({
      file: `s3://${bucket}/raw/orders/${date}/orders bad.csv`,
      reason: '3 errors, the first at line 2, column order_date, value "2024-02-30": no such date',
      errorCount: 3,
      rowsChecked: 3,
      sample: [
        { line: 2, column: 'order_date', value: '2024-02-30', reason: 'no such date' },
        { line: 3, column: 'order_amount', value: '1.234', reason: 'more than 2 digit(s) after the decimal point for decimal(18,2)' },
        { line: 4, reason: 'expected 7 fields as in the header, found 2' },
      ],
      checkedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect((await getObjectBytes(aws.s3, bucket, `errors/orders/${date}/no header.csv`)).toString()).toBe('\n');
  });

  it('fails with NoFilesForDate, naming the location, when the date has no files', async () => {
    const { result: failure } = await validateFiles({ pipeline, date: '2024-01-17' });

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'NoFilesForDate', nonRetryable: true });
    expect((failure as Error).message).toContain(`s3://${bucket}/raw/orders/2024-01-17/`);
    expect((failure as Error).message).toContain('Upload the date');
  });

  it('succeeds on a rerun that finds nothing new, counting the files validated earlier', async () => {
    const date = '2024-01-18';
    await uploadSamples(date);
    const first = await validateFiles({ pipeline, date });
    expect(first.result).toMatchObject({ rowsValidated: 8, previouslyValidatedFiles: 0 });

    const rerun = await validateFiles({ pipeline, date });

    expect(rerun.result).toEqual({ files: [], rowsValidated: 0, previouslyValidatedFiles: 2, ignoredFiles: [], setAsideFiles: [] });
  });

  it('stops when cancelled mid-file and leaves the file in raw/', async () => {
    const date = '2024-01-19';
    const rows = Array.from({ length: 30_000 }, (_, i) => `O-${i},C-1,${date},1.00,,,completed`);
    await putObject(aws.s3, bucket, `raw/orders/${date}/big.csv`, [ordersHeader, ...rows].join('\n'));
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (details: { rows?: number }) => details.rows && env.cancel());

    const run = env.run(createValidationActivities({ s3: aws.s3 }).validateFiles, fileCheckInput(pipeline, stepOf(pipeline, 'validate'), date));

    // The worker reports an AbortError under a cancelled activity as the activity's cancellation.
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(await listKeys(aws.s3, bucket, `raw/orders/${date}/`)).toEqual([`raw/orders/${date}/big.csv`]);
    expect(await listKeys(aws.s3, bucket, `validated/orders/${date}/`)).toEqual([]);
  });
});
