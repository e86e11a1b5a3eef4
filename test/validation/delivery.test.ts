import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { loadPipeline } from '../../src/config/load';
import type { PipelineConfig } from '../../src/config/schema';
import { createValidationActivities } from '../../src/activities/validation/activity';
import { dateFilesInput } from '../../src/shared/activityInputs';
import type { ValidationResult } from '../../src/shared/stepResults';
import { createBucket, getObjectBytes, listKeys, putObject, startLocalAws, type LocalAws } from '../support/aws';
import { etl } from '../support/etl';
import { legacyPipeline } from '../support/legacyPipelines';
import { validateAsRun } from '../support/validation';
import { ordersHeader } from '../support/orderFiles';

// What a date's input is, run after run: rejected files block the date until fixed or dropped, a redelivery
// replaces or joins the earlier files, late files and re-uploads are checked, markers are left alone.
// Every expectation counts objects in S3 (moto).

const orders = loadPipeline('orders');
const bucket = orders.s3.bucket;
const good = (date: string, id: string) => `${ordersHeader}\nO-${id},C-1,${date},1.00,,,completed\n`;
const bad = (date: string) => `${ordersHeader}\nO-9,C-1,${date},not-a-number,,,completed\n`;

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
  await createBucket(aws.s3, bucket);
});
afterAll(() => aws?.stop());

/** One pipeline run's validation step (a run id of its own), as Temporal runs the activity. */
async function validate(date: string, options: { pipeline?: PipelineConfig; s3?: S3Client } = {}) {
  const { result } = await validateAsRun(options.s3 ?? aws.s3, { pipeline: options.pipeline ?? orders, date });
  return result as ValidationResult | ApplicationFailure;
}

const land = (date: string, name: string, body: string | Uint8Array) => putObject(aws.s3, bucket, `raw/orders/${date}/${name}`, body);
const names = async (folder: string, date: string) =>
  (await listKeys(aws.s3, bucket, `${folder}/orders/${date}/`)).map((key) => key.slice(`${folder}/orders/${date}/`.length));

/** An S3 client that does `before` once, just before it sends the first command `when` accepts. */
function s3Before(when: (command: string, input: { Key?: string }) => boolean, before: () => Promise<unknown>): S3Client {
  const s3 = new S3Client({ endpoint: aws.moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true });
  let done = false;
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (!done && when(context.commandName ?? '', args.input as { Key?: string })) {
        done = true;
        await before();
      }
      return next(args);
    },
    { step: 'initialize' },
  );
  return s3;
}

describe('a date with a rejected file', () => {
  const date = '2024-03-01';

  it('fails, still fails on a rerun that changes nothing, and succeeds once a fixed version lands', async () => {
    await land(date, 'good.csv', good(date, '1'));
    await land(date, 'bad.csv', bad(date));

    const first = await validate(date);
    expect(first).toMatchObject({ type: 'InvalidFiles', nonRetryable: true });
    expect(await names('validated', date)).toEqual(['good.csv']);
    expect(await names('errors', date)).toEqual(['bad.csv', 'bad.csv.report.json']);

    // What the alert used to suggest: run it again unchanged. It must not load good.csv alone.
    const rerun = await validate(date);
    expect(rerun).toMatchObject({ type: 'InvalidFiles', nonRetryable: true });
    expect((rerun as Error).message).toMatch(/^1 file\(s\) of orders 2024-03-01 are still rejected/);
    expect((rerun as Error).message).toContain(`- bad.csv: rejected by an earlier run (report: s3://${bucket}/errors/orders/${date}/bad.csv.report.json)`);

    await land(date, 'bad.csv', good(date, '2'));
    const fixed = (await validate(date)) as ValidationResult;

    expect(fixed).toMatchObject({ rowsValidated: 1, previouslyValidatedFiles: 1 });
    expect(await names('validated', date)).toEqual(['bad.csv', 'good.csv']);
    expect((await getObjectBytes(aws.s3, bucket, `validated/orders/${date}/bad.csv`)).toString()).toBe(good(date, '2'));
    expect(await names('errors', date)).toEqual([]);
    expect(await names('raw', date)).toEqual([]);
    // The rejected version is kept for audit, outside the date's input.
    const archived = await listKeys(aws.s3, bucket, `archive/orders/${date}/`);
    expect(archived.map((key) => key.replace(/run-[^/]+/, 'run-*'))).toEqual([
      `archive/orders/${date}/run-*/errors/bad.csv`,
      `archive/orders/${date}/run-*/errors/bad.csv.report.json`,
    ]);
  });
});

describe('a redelivery', () => {
  it('replaces the earlier delivery by default: files under new names are not loaded with the old ones', async () => {
    const date = '2024-03-02';
    await land(date, 'export-1.csv', good(date, '1'));
    await land(date, 'export-2.csv', good(date, '2'));
    expect(await validate(date)).toMatchObject({ rowsValidated: 2 });

    await land(date, 'export-3.csv', good(date, '3'));
    const redelivered = (await validate(date)) as ValidationResult;

    expect(redelivered).toMatchObject({ rowsValidated: 1, previouslyValidatedFiles: 0 });
    expect(await names('validated', date)).toEqual(['export-3.csv']);
    const archived = await listKeys(aws.s3, bucket, `archive/orders/${date}/`);
    expect(archived.map((key) => key.replace(/run-[^/]+/, 'run-*'))).toEqual([
      `archive/orders/${date}/run-*/validated/export-1.csv`,
      `archive/orders/${date}/run-*/validated/export-2.csv`,
    ]);
    expect(redelivered.setAsideFiles).toEqual([`validated/orders/${date}/export-1.csv`, `validated/orders/${date}/export-2.csv`]);
  });

  it('supersedes an earlier rejection too, when the new delivery is not just its fix', async () => {
    const date = '2024-03-03';
    await land(date, 'a.csv', good(date, '1'));
    await land(date, 'b.csv', bad(date));
    await validate(date);

    await land(date, 'all.csv', good(date, '2'));
    expect(await validate(date)).toMatchObject({ rowsValidated: 1, previouslyValidatedFiles: 0 });
    expect(await names('validated', date)).toEqual(['all.csv']);
    expect(await names('errors', date)).toEqual([]);
  });

  it('joins the earlier files with redelivery: append', async () => {
    const date = '2024-03-04';
    const pipeline = { ...orders, s3: { ...orders.s3, redelivery: 'append' as const } };
    await land(date, 'export-1.csv', good(date, '1'));
    await validate(date, { pipeline });
    await land(date, 'export-2.csv', good(date, '2'));

    expect(await validate(date, { pipeline })).toMatchObject({ rowsValidated: 1, previouslyValidatedFiles: 1 });
    expect(await names('validated', date)).toEqual(['export-1.csv', 'export-2.csv']);
  });

  it('replaces a valid file whose new version under the same name is broken, so the date waits for its fix', async () => {
    const date = '2024-03-05';
    const pipeline = { ...orders, s3: { ...orders.s3, redelivery: 'append' as const } };
    await land(date, 'orders.csv', good(date, '1'));
    await validate(date, { pipeline });
    await land(date, 'orders.csv', bad(date));

    expect(await validate(date, { pipeline })).toMatchObject({ type: 'InvalidFiles' });
    expect(await names('validated', date)).toEqual([]);
    expect(await names('errors', date)).toEqual(['orders.csv', 'orders.csv.report.json']);
  });
});

describe('raw/ while a run validates', () => {
  it('keeps a version uploaded during the move in raw/ and checks it in the same run', async () => {
    const date = '2024-03-06';
    await land(date, 'orders.csv', good(date, '1'));
    const reupload = () => aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `raw/orders/${date}/orders.csv`, Body: good(date, '2') }));
    const s3 = s3Before((command, input) => command === 'DeleteObjectCommand' && input.Key === `raw/orders/${date}/orders.csv`, reupload);

    const result = (await validate(date, { s3 })) as ValidationResult;

    expect(result.files.map((file) => file.outcome)).toEqual(['changed', 'validated']);
    expect(await names('raw', date)).toEqual([]);
    expect((await getObjectBytes(aws.s3, bucket, `validated/orders/${date}/orders.csv`)).toString()).toBe(good(date, '2'));
    s3.destroy();
  });

  it('checks a file that lands while the others are checked, in the same run', async () => {
    const date = '2024-03-07';
    await land(date, 'first.csv', good(date, '1'));
    const s3 = s3Before(
      (command) => command === 'CopyObjectCommand',
      () => land(date, 'late.csv', good(date, '2')),
    );

    const result = (await validate(date, { s3 })) as ValidationResult;

    expect(result.files.map((file) => file.key)).toEqual([`raw/orders/${date}/first.csv`, `raw/orders/${date}/late.csv`]);
    expect(await names('raw', date)).toEqual([]);
    expect(await names('validated', date)).toEqual(['first.csv', 'late.csv']);
    s3.destroy();
  });

  it('leaves markers, temporary and zero-byte objects alone and names them', async () => {
    const date = '2024-03-08';
    await land(date, 'orders.csv', good(date, '1'));
    await land(date, '_SUCCESS', '');
    await land(date, 'part/upload.csv.tmp', 'half a file');
    await land(date, 'empty.csv', '');

    const result = (await validate(date)) as ValidationResult;

    expect(result.ignoredFiles).toEqual([`raw/orders/${date}/_SUCCESS`, `raw/orders/${date}/empty.csv`, `raw/orders/${date}/part/upload.csv.tmp`]);
    expect(await names('validated', date)).toEqual(['orders.csv']);
    expect(await names('raw', date)).toEqual(['_SUCCESS', 'empty.csv', 'part/upload.csv.tmp']);
  });

  it('says a date holding only a marker has no files', async () => {
    const date = '2024-03-09';
    await land(date, '_SUCCESS', '');
    const failure = await validate(date);
    expect(failure).toMatchObject({ type: 'NoFilesForDate', nonRetryable: true });
    expect((failure as Error).message).toContain('it holds only 1 ignored object(s), such as _SUCCESS');
  });

  it('fails encoding defects at validation, with their line and column, before anything reaches validated/', async () => {
    const date = '2024-03-10';
    await land(date, 'latin1.csv', Buffer.concat([Buffer.from(`${ordersHeader}\nO-1,C-1,${date},1.00,Caf`), Buffer.from([0xe9]), Buffer.from(',,completed\n')]));
    await land(date, 'nul.csv', `${ordersHeader}\nO-1,C-1,${date},1.00,a\0b,,completed\n`);
    await land(date, 'utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good(date, '1'), 'utf16le')]));

    const failure = await validate(date);

    expect(failure).toMatchObject({ type: 'InvalidFiles' });
    const message = (failure as Error).message;
    expect(message).toContain('- latin1.csv: line 2, column product_id, value "Caf\ufffd": not UTF-8: byte 0xE9 at byte 4');
    expect(message).toContain('- nul.csv: line 2, column product_id, value "a\\u0000b": NUL byte (0x00) at byte 2');
    expect(message).toContain('- utf16.csv: line 1: the file is encoded as UTF-16LE');
    expect(await names('validated', date)).toEqual([]);
  });
});

describe('just before the load', () => {
  it('fails when data files landed after validation, and passes when only markers did', async () => {
    const date = '2024-03-12';
    await land(date, 'orders.csv', good(date, '1'));
    expect(await validate(date)).toMatchObject({ rowsValidated: 1 });
    const { confirmNoFilesLanded } = createValidationActivities({ s3: aws.s3 });
    const confirm = () => new MockActivityEnvironment().run(confirmNoFilesLanded, dateFilesInput(orders, date));
    // As runs on earlier workflow code scheduled it: with the whole pipeline config.
    const confirmEarlier = () => new MockActivityEnvironment().run(confirmNoFilesLanded, { pipeline: legacyPipeline(orders), date });

    await land(date, '_SUCCESS', '');
    await expect(confirm()).resolves.toBeUndefined();
    await expect(confirmEarlier()).resolves.toBeUndefined();

    await land(date, 'correction.csv', good(date, '2'));
    await expect(confirm()).rejects.toMatchObject({
      type: 'FilesLandedAfterValidation',
      nonRetryable: true,
      message: expect.stringMatching(/^1 file\(s\) landed in s3:\/\/etl-data-lake\/raw\/orders\/2024-03-12\/ after validation \(correction\.csv\)/),
    });
    await expect(confirmEarlier()).rejects.toMatchObject({
      type: 'FilesLandedAfterValidation',
      message: expect.stringMatching(/^1 file\(s\) landed in s3:\/\/etl-data-lake\/raw\/orders\/2024-03-12\/ after validation \(correction\.csv\)/),
    });
    expect(await names('raw', date)).toEqual(['_SUCCESS', 'correction.csv']);
  });
});

describe('etl drop-file', () => {
  it('takes a rejected file out for good, with a record, and the next run succeeds without it', async () => {
    const date = '2024-03-11';
    await land(date, 'good.csv', good(date, '1'));
    await land(date, 'bad.csv', bad(date));
    await validate(date);
    // Real AWS settings, pointed at moto: the command talks to S3 only.
    const env = {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      AWS_ENDPOINT_URL_S3: aws.moto.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    };

    const unknown = etl(['drop-file', '--pipeline', 'orders', '--date', date, '--file', 'nope.csv'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe(
      `etl: orders ${date} has no rejected file "nope.csv" in s3://${bucket}/errors/orders/${date}/; its rejected files are: bad.csv`,
    );

    const dropped = etl(['drop-file', '--pipeline', 'orders', '--date', date, '--file', 'bad.csv', '--reason', 'a duplicate of good.csv'], env);
    expect(dropped).toMatchObject({ code: 0, stderr: '' });
    expect(dropped.stdout).toContain(`Dropped bad.csv from orders ${date}: moved to s3://${bucket}/archive/orders/${date}/dropped/`);

    expect(await names('errors', date)).toEqual([]);
    const archived = await listKeys(aws.s3, bucket, `archive/orders/${date}/dropped/`);
    expect(archived.map((key) => key.replace(/dropped\/[^/]+\//, 'dropped/*/'))).toEqual([
      `archive/orders/${date}/dropped/*/bad.csv`,
      `archive/orders/${date}/dropped/*/bad.csv.drop.json`,
      `archive/orders/${date}/dropped/*/bad.csv.report.json`,
    ]);
    const record = JSON.parse((await getObjectBytes(aws.s3, bucket, archived[1])).toString());
    expect(record).toMatchObject({ pipeline: 'orders', date, file: `s3://${bucket}/errors/orders/${date}/bad.csv`, reason: 'a duplicate of good.csv' });

    expect(await validate(date)).toMatchObject({ rowsValidated: 0, previouslyValidatedFiles: 1 });
  });
});
