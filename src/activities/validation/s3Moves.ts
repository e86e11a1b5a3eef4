import { CopyObjectCommand, DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { copyInParts, defaultCopyLimits, encodeKey, type CopyLimits } from './multipartCopy';

/** The version of an object that was read and checked; a move copies and deletes exactly this version. */
export interface CheckedObject {
  key: string;
  eTag: string;
  size: number;
  /** Set on a versioned bucket. */
  versionId?: string;
  contentType?: string;
  /** Kept on the copy: a gzip export stored with Content-Encoding: gzip stays one. */
  contentEncoding?: string;
}

/** Which run checked a file, and when: written as object metadata on what validation moves. */
export interface CheckStamp {
  runId: string;
  /** Milliseconds since the epoch. */
  checkedAt: number;
}

const stampKeys = { runId: 'etl-run-id', checkedAt: 'etl-checked-at' } as const;

/** What happened to a move: `changed` means the original was replaced or removed meanwhile and stays as it is. */
export type MoveOutcome = 'moved' | 'changed';

export interface MoveOptions {
  limits?: CopyLimits;
  /** Called as a copy in parts progresses, so a long one can heartbeat. */
  onBytesCopied?: (bytes: number) => void;
}

/**
 * Copies the checked version to `to` with the stamp, confirms the copy, and only then deletes the original, on
 * the condition that it is still the checked version. A producer who uploads the same key meanwhile keeps the
 * new version in raw/, where it is checked in turn. A retry after a crash finds the original and moves it again.
 */
export async function moveChecked(
  s3: S3Client,
  bucket: string,
  from: CheckedObject,
  to: string,
  stamp: CheckStamp,
  options: MoveOptions = {},
): Promise<MoveOutcome> {
  const { limits = defaultCopyLimits, onBytesCopied } = options;
  const version = from.versionId ? `?versionId=${encodeURIComponent(from.versionId)}` : '';
  const headers = {
    Metadata: { [stampKeys.runId]: stamp.runId, [stampKeys.checkedAt]: String(stamp.checkedAt) },
    ContentType: from.contentType,
    ContentEncoding: from.contentEncoding,
  };
  try {
    const eTag =
      from.size > limits.multipartThreshold
        ? await copyInParts(s3, bucket, from, to, headers, limits, onBytesCopied)
        : (
            await s3.send(
              new CopyObjectCommand({
                Bucket: bucket,
                Key: to,
                CopySource: `${bucket}/${encodeKey(from.key)}${version}`,
                CopySourceIfMatch: from.eTag,
                MetadataDirective: 'REPLACE',
                ...headers,
              }),
            )
          ).CopyObjectResult?.ETag;
    await confirmObject(s3, bucket, to, eTag, from.size);
  } catch (err) {
    // Replaced (412) or removed (404) since it was checked: the new version, if any, is checked in turn.
    if (isStatus(err, 412) || isStatus(err, 404)) return 'changed';
    throw err;
  }
  try {
    await s3.send(
      new DeleteObjectCommand(from.versionId ? { Bucket: bucket, Key: from.key, VersionId: from.versionId } : { Bucket: bucket, Key: from.key, IfMatch: from.eTag }),
    );
  } catch (err) {
    if (isStatus(err, 412)) return 'changed';
    // Already gone: the checked version is safe in its copy.
    if (!isStatus(err, 404)) throw err;
  }
  return 'moved';
}

/** Moves an object of ours (in validated/ or errors/) elsewhere, keeping its metadata; false when there was none. */
export async function moveOwned(s3: S3Client, bucket: string, from: string, to: string, limits = defaultCopyLimits): Promise<boolean> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: from }));
    const size = head.ContentLength ?? 0;
    const { Metadata, ContentType, ContentEncoding, CacheControl, ContentDisposition, ContentLanguage } = head;
    const eTag =
      size > limits.multipartThreshold
        ? await copyInParts(
            s3,
            bucket,
            { key: from, eTag: head.ETag!, size },
            to,
            { Metadata, ContentType, ContentEncoding, CacheControl, ContentDisposition, ContentLanguage },
            limits,
          )
        : (await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${encodeKey(from)}`, CopySourceIfMatch: head.ETag })))
            .CopyObjectResult?.ETag;
    await confirmObject(s3, bucket, to, eTag, size);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: from }));
    return true;
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
    return false;
  }
}

/** The stamp of a file validation moved, or none for a file moved before stamps existed. */
export async function readStamp(s3: S3Client, bucket: string, key: string): Promise<CheckStamp | undefined> {
  const { Metadata = {} } = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const runId = Metadata[stampKeys.runId];
  const checkedAt = Number(Metadata[stampKeys.checkedAt]);
  return runId && Number.isFinite(checkedAt) ? { runId, checkedAt } : undefined;
}

/** Writes a small object and confirms it landed whole. */
export async function putObjectConfirmed(s3: S3Client, bucket: string, key: string, body: string, contentType: string): Promise<void> {
  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  await confirmObject(s3, bucket, key, put.ETag, Buffer.byteLength(body));
}

async function confirmObject(s3: S3Client, bucket: string, key: string, eTag: string | undefined, size: number): Promise<void> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  if (!eTag || head.ETag !== eTag || head.ContentLength !== size) {
    // A plain Error: Temporal retries the activity, which redoes the copy before anything is deleted.
    throw new Error(
      `could not confirm s3://${bucket}/${key}: expected ETag ${eTag} and ${size} bytes, ` + `found ETag ${head.ETag} and ${head.ContentLength} bytes`,
    );
  }
}

function isStatus(err: unknown, status: number): boolean {
  return err instanceof S3ServiceException && err.$metadata.httpStatusCode === status;
}
