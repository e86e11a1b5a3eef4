import { CreateMultipartUploadCommand, HeadObjectCommand, ListMultipartUploadsCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { loadPipeline } from '../../src/config/load';
import type { ValidationOptions } from '../../src/activities/validation/activity';
import type { ValidationResult } from '../../src/shared/stepResults';
import { createBucket, getObjectBytes, listKeys, startLocalAws, type LocalAws } from '../support/aws';
import { validateAsRun } from '../support/validation';
import { ordersHeader } from '../support/orderFiles';

// Files over CopyObject's 5 GiB move with a multipart copy. Here the threshold and part size are small (moto,
// like S3, takes parts of at least 5 MiB but the last), so a 12 MiB file moves in three parts. Every
// expectation counts objects and incomplete uploads in S3 (moto).

const orders = loadPipeline('orders');
const bucket = orders.s3.bucket;
const mib = 1024 ** 2;
const smallParts: ValidationOptions = { copyLimits: { multipartThreshold: mib, partSize: 5 * mib, partConcurrency: 2 } };

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
  await createBucket(aws.s3, bucket);
});
afterAll(() => aws?.stop());

/** A valid orders file of about `bytes` bytes. */
function ordersFile(date: string, bytes: number): Buffer {
  const row = (i: number) => `O-${String(i).padStart(9, '0')},C-1,${date},1.00,P-1,${date}T08:00:00Z,completed`;
  const rows = Math.ceil(bytes / (row(0).length + 1));
  return Buffer.from(`${ordersHeader}\n${Array.from({ length: rows }, (_, i) => row(i)).join('\n')}\n`);
}

const land = (date: string, name: string, body: Buffer) =>
  aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `raw/orders/${date}/${name}`, Body: body, ContentType: 'text/csv' }));
const incompleteUploads = async () => (await aws.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? [];

/** An S3 client pointed at moto that awaits `before(command)` before it sends each command; what it throws fails the command. */
function s3Before(before: (command: string) => unknown): S3Client {
  const s3 = new S3Client({ endpoint: aws.moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true });
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      await before(context.commandName ?? '');
      return next(args);
    },
    { step: 'initialize' },
  );
  return s3;
}

/** Fails the `nth` command named `command` with `error()`. */
const failing = (command: string, nth: number, error: () => Error) => {
  let seen = 0;
  return (name: string) => {
    if (name === command && ++seen === nth) throw error();
  };
};

describe('a file over the multipart threshold', () => {
  it('moves in parts, keeping its bytes, type and stamp, leaving no raw object and no incomplete upload', async () => {
    const date = '2024-05-01';
    const body = ordersFile(date, 12 * mib);
    await land(date, 'big.csv', body);
    // What an attempt that crashed mid-copy leaves behind.
    await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: `validated/orders/${date}/big.csv` }));

    const { result } = await validateAsRun(aws.s3, { pipeline: orders, date }, smallParts);

    expect(result).toMatchObject({ rowsValidated: body.toString().split('\n').length - 2 });
    expect(await listKeys(aws.s3, bucket, `raw/orders/${date}/`)).toEqual([]);
    expect(await listKeys(aws.s3, bucket, `validated/orders/${date}/`)).toEqual([`validated/orders/${date}/big.csv`]);
    expect((await getObjectBytes(aws.s3, bucket, `validated/orders/${date}/big.csv`)).equals(body)).toBe(true);
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `validated/orders/${date}/big.csv` }));
    // A multipart ETag ("<md5>-<parts>") shows it was copied in parts.
    expect(head.ETag).toMatch(/-3"$/);
    expect(head.ContentType).toBe('text/csv');
    expect(head.Metadata).toEqual({ 'etl-run-id': expect.stringMatching(/^run-/), 'etl-checked-at': expect.stringMatching(/^\d+$/) });
    expect(await incompleteUploads()).toEqual([]);

    // A redelivery sets the big file aside under the archive prefix, in parts too, keeping its stamp.
    await land(date, 'redelivered.csv', ordersFile(date, 1000));
    await validateAsRun(aws.s3, { pipeline: orders, date }, smallParts);
    const archived = await listKeys(aws.s3, bucket, `archive/orders/${date}/`);
    expect(archived).toEqual([expect.stringMatching(new RegExp(`^archive/orders/${date}/run-[^/]+/validated/big\\.csv$`))]);
    expect((await getObjectBytes(aws.s3, bucket, archived[0])).equals(body)).toBe(true);
    const archivedHead = await aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: archived[0] }));
    expect(archivedHead.Metadata).toEqual(head.Metadata);
    expect(await incompleteUploads()).toEqual([]);
  });

  it('aborts its upload when a part fails, keeps the file in raw/, and moves it on the retry', async () => {
    const date = '2024-05-02';
    const body = ordersFile(date, 11 * mib);
    await land(date, 'big.csv', body);
    const s3 = s3Before(failing('UploadPartCopyCommand', 2, () => new Error('connection reset while copying a part')));

    const { result: failure } = await validateAsRun(s3, { pipeline: orders, date }, smallParts);

    expect(failure).toMatchObject({ message: 'connection reset while copying a part' });
    expect(await listKeys(aws.s3, bucket, `raw/orders/${date}/`)).toEqual([`raw/orders/${date}/big.csv`]);
    expect(await listKeys(aws.s3, bucket, `validated/orders/${date}/`)).toEqual([]);
    expect(await incompleteUploads()).toEqual([]);

    await validateAsRun(aws.s3, { pipeline: orders, date }, smallParts);
    expect((await getObjectBytes(aws.s3, bucket, `validated/orders/${date}/big.csv`)).equals(body)).toBe(true);
    expect(await listKeys(aws.s3, bucket, `raw/orders/${date}/`)).toEqual([]);
    s3.destroy();
  });
});

describe('a file re-uploaded while it moves in parts', () => {
  it('keeps the new version in raw/, aborts the copy of the old one, and checks the new one in the same run', async () => {
    const date = '2024-05-05';
    const first = ordersFile(date, 11 * mib);
    const second = ordersFile(date, 12 * mib);
    await land(date, 'big.csv', first);
    let reuploaded = false;
    const s3 = s3Before(async (command) => {
      if (reuploaded || command !== 'UploadPartCopyCommand') return;
      reuploaded = true;
      await land(date, 'big.csv', second);
    });

    const { result } = await validateAsRun(s3, { pipeline: orders, date }, smallParts);

    expect((result as ValidationResult).files.map((file) => file.outcome)).toEqual(['changed', 'validated']);
    expect(await listKeys(aws.s3, bucket, `raw/orders/${date}/`)).toEqual([]);
    expect((await getObjectBytes(aws.s3, bucket, `validated/orders/${date}/big.csv`)).equals(second)).toBe(true);
    expect(await incompleteUploads()).toEqual([]);
    s3.destroy();
  });
});

describe('failures no retry can fix', () => {
  it('refuses a file larger than s3.maxFileSize before reading anything', async () => {
    const date = '2024-05-03';
    await land(date, 'small.csv', ordersFile(date, 1000));
    await land(date, 'huge.csv', ordersFile(date, 2 * mib));
    const pipeline = { ...orders, s3: { ...orders.s3, maxFileSize: '1MB' } };

    const { result: failure } = await validateAsRun(aws.s3, { pipeline, date });

    expect(failure).toMatchObject({ type: 'FileTooLarge', nonRetryable: true });
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^1 file\\(s\\) of orders are larger than s3.maxFileSize \\(1MB\\): s3://${bucket}/raw/orders/${date}/huge.csv \\(\\d+ bytes\\)\\. Nothing was read\\.`,
      ),
    );
    expect(await listKeys(aws.s3, bucket, `raw/orders/${date}/`)).toEqual([`raw/orders/${date}/huge.csv`, `raw/orders/${date}/small.csv`]);
    expect(await listKeys(aws.s3, bucket, `validated/orders/${date}/`)).toEqual([]);
  });

  it('fails without retries when the bucket does not exist or S3 denies access', async () => {
    const date = '2024-05-04';
    const missing = { ...orders, s3: { ...orders.s3, bucket: 'no-such-bucket' } };
    const { result: noBucket } = await validateAsRun(aws.s3, { pipeline: missing, date });
    expect(noBucket).toMatchObject({ type: 'S3BucketNotFound', nonRetryable: true });
    expect((noBucket as Error).message).toMatch(/^S3 refused validating s3:\/\/no-such-bucket\/raw\/orders\/2024-05-04\/: NoSuchBucket: .*; check s3.bucket/);

    await land(date, 'orders.csv', ordersFile(date, 1000));
    const denied = () => new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });
    const s3 = s3Before(failing('GetObjectCommand', 1, denied));
    const { result: noAccess } = await validateAsRun(s3, { pipeline: orders, date });
    expect(noAccess).toMatchObject({ type: 'S3AccessDenied', nonRetryable: true });
    expect((noAccess as Error).message).toContain(
      `S3 refused reading or moving s3://${bucket}/raw/orders/${date}/orders.csv: AccessDenied: Access Denied; grant the worker's role`,
    );
    expect(await listKeys(aws.s3, bucket, `raw/orders/${date}/`)).toEqual([`raw/orders/${date}/orders.csv`]);
    s3.destroy();
  });
});
