import {
  CopyObjectCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** The version of an object that was read and checked; the move copies exactly this version. */
export interface CheckedObject {
  key: string;
  eTag: string;
  size: number;
}

// CopyObject copies at most 5 GiB in one request; larger files need a multipart copy.
const maxSingleCopyBytes = 5 * 1024 ** 3;

/**
 * Copies the checked object to `to`, confirms the copy (HeadObject: same ETag the copy returned, same
 * size), and only then deletes the original. A retry after a crash finds the original still there
 * and simply moves it again.
 */
export async function moveObject(s3: S3Client, bucket: string, from: CheckedObject, to: string): Promise<void> {
  if (from.size > maxSingleCopyBytes) {
    throw new Error(`s3://${bucket}/${from.key} is ${from.size} bytes; moving files over 5 GiB is not supported yet`);
  }
  const copy = await s3.send(
    new CopyObjectCommand({
      Bucket: bucket,
      Key: to,
      CopySource: `${bucket}/${encodeKey(from.key)}`,
      // If the file was replaced after it was checked, the copy fails and the retry checks the new one.
      CopySourceIfMatch: from.eTag,
    }),
  );
  await confirmObject(s3, bucket, to, copy.CopyObjectResult?.ETag, from.size);
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: from.key }));
}

/** Writes a small object and confirms it landed whole. */
export async function putObjectConfirmed(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string,
  contentType: string,
): Promise<void> {
  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  await confirmObject(s3, bucket, key, put.ETag, Buffer.byteLength(body));
}

async function confirmObject(
  s3: S3Client,
  bucket: string,
  key: string,
  eTag: string | undefined,
  size: number,
): Promise<void> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  if (!eTag || head.ETag !== eTag || head.ContentLength !== size) {
    // A plain Error: Temporal retries the activity, which redoes the copy before anything is deleted.
    throw new Error(
      `could not confirm s3://${bucket}/${key}: expected ETag ${eTag} and ${size} bytes, ` +
        `found ETag ${head.ETag} and ${head.ContentLength} bytes`,
    );
  }
}

/** CopySource is a URL path: encode each key segment, keep the slashes. */
function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
