import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  UploadPartCopyCommand,
  type CreateMultipartUploadCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { boundedMap } from '../../shared/boundedMap';

/** How objects are copied: CopyObject takes at most 5 GiB, so larger ones are copied in parts. */
export interface CopyLimits {
  /** Objects of more bytes than this are copied in parts. At most 5 GiB on S3. */
  multipartThreshold: number;
  /** Bytes per part, all but the last (S3 takes 5 MiB to 5 GiB); larger when an object would need over 10,000 parts. */
  partSize: number;
  /** Parts copied at once. */
  partConcurrency: number;
}

const mib = 1024 ** 2;
export const defaultCopyLimits: CopyLimits = { multipartThreshold: 5 * 1024 * mib, partSize: 256 * mib, partConcurrency: 8 };

/** S3 takes at most this many parts in one upload. */
const maxParts = 10_000;

/** The exact version to copy: every part is copied on the condition that the source still has this ETag. */
export interface CopySource {
  key: string;
  eTag: string;
  size: number;
  versionId?: string;
}

/** What the copy carries besides its bytes: what CopyObject would set or copy. */
export type CopyHeaders = Pick<
  CreateMultipartUploadCommandInput,
  'Metadata' | 'ContentType' | 'ContentEncoding' | 'CacheControl' | 'ContentDisposition' | 'ContentLanguage'
>;

/**
 * Copies the source to `to` with UploadPartCopy, parts in parallel, and returns the new object's ETag. A failed
 * copy aborts its upload; an upload to the same key left by an attempt that crashed is aborted first, so no
 * incomplete upload (which S3 bills as storage) is left behind.
 */
export async function copyInParts(
  s3: S3Client,
  bucket: string,
  source: CopySource,
  to: string,
  headers: CopyHeaders,
  limits: CopyLimits,
  onPartCopied?: (bytesCopied: number) => void,
): Promise<string | undefined> {
  await abortUploadsTo(s3, bucket, to);
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: to, ...headers }));
  const partSize = Math.max(limits.partSize, Math.ceil(source.size / maxParts / mib) * mib);
  const ranges = Array.from({ length: Math.max(1, Math.ceil(source.size / partSize)) }, (_, i) => ({
    first: i * partSize,
    last: Math.min(source.size, (i + 1) * partSize) - 1,
  }));
  const version = source.versionId ? `?versionId=${encodeURIComponent(source.versionId)}` : '';
  let bytesCopied = 0;
  try {
    const parts = await boundedMap(ranges, limits.partConcurrency, async ({ first, last }, index) => {
      const { CopyPartResult } = await s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: to,
          UploadId,
          PartNumber: index + 1,
          CopySource: `${bucket}/${encodeKey(source.key)}${version}`,
          CopySourceIfMatch: source.eTag,
          CopySourceRange: `bytes=${first}-${last}`,
        }),
      );
      onPartCopied?.((bytesCopied += last - first + 1));
      return { PartNumber: index + 1, ETag: CopyPartResult?.ETag };
    });
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: to, UploadId, MultipartUpload: { Parts: parts } }));
    return done.ETag;
  } catch (err) {
    // The original failure is what matters; an upload left by a failed abort is aborted by the next attempt.
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: to, UploadId })).catch(() => undefined);
    throw err;
  }
}

async function abortUploadsTo(s3: S3Client, bucket: string, key: string): Promise<void> {
  let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
  for (;;) {
    const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key, ...markers }));
    for (const upload of page.Uploads ?? []) {
      if (upload.Key === key) await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: upload.UploadId }));
    }
    if (!page.IsTruncated) return;
    markers = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
  }
}

/** CopySource is a URL path: encode each key segment, keep the slashes. */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
