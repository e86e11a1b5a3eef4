import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parquetMetadataAsync, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import type { CheckedObject } from './s3Moves';

/** The file's metadata, or why the object is not a Parquet file that can be read. */
export type ParquetFooter = { metadata: FileMetaData } | { unreadable: string };

/** The first read: the footer of most files fits in it; a bigger one costs one more read. */
const tailBytes = 64 * 1024;
/** "PAR1" at the start of the file, and again at its end after the footer and its length. */
const magic = 0x31524150;
const smallestFile = 12;

/**
 * Reads a Parquet file's footer from S3 with ranged GETs of exactly the checked version (its data is never
 * read) and parses it with hyparquet. A failure of S3 itself is thrown as it is, so the step is retried.
 */
export async function readParquetFooter(s3: S3Client, bucket: string, object: CheckedObject, signal?: AbortSignal): Promise<ParquetFooter> {
  const notParquet = (why: string) => ({
    unreadable: `not a Parquet file: ${why}; land a complete Parquet file, or set the contract's format to what the file is`,
  });
  if (object.size < smallestFile) return notParquet(`it is ${object.size} byte(s) long, shorter than any Parquet file`);
  let s3Failure: Error | undefined;
  const file = rangedObject(s3, bucket, object, signal, (err) => (s3Failure = err as Error));
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file, { initialFetchSize: tailBytes, geoparquet: false });
  } catch (err) {
    if (s3Failure !== undefined) throw s3Failure;
    // hyparquet's messages: "parquet file invalid (footer != PAR1)", "parquet metadata length ... exceeds ...", a thrift error.
    const { message } = err as Error;
    if (message.includes('footer != PAR1')) return notParquet('it does not end with the "PAR1" mark (is it cut short, or another format?)');
    return notParquet(`its footer cannot be read (${message})`);
  }
  const head = new DataView(await file.slice(0, 4));
  if (head.getUint32(0, true) !== magic) return notParquet('it does not start with the "PAR1" mark');
  return { metadata };
}

/** The object as hyparquet reads a file: ranged GETs, the last one kept, since the first bytes often lie in the tail read first. */
function rangedObject(s3: S3Client, bucket: string, object: CheckedObject, signal: AbortSignal | undefined, onFailure: (err: unknown) => void): AsyncBuffer {
  let kept: { start: number; bytes: Uint8Array } | undefined;
  return {
    byteLength: object.size,
    async slice(start, end = object.size) {
      if (kept && start >= kept.start && end <= kept.start + kept.bytes.length) {
        return copyOf(kept.bytes.subarray(start - kept.start, end - kept.start));
      }
      const version = object.versionId ? { VersionId: object.versionId } : { IfMatch: object.eTag };
      const read = await s3
        .send(new GetObjectCommand({ Bucket: bucket, Key: object.key, Range: `bytes=${start}-${end - 1}`, ...version }), { abortSignal: signal })
        .then((output) => output.Body!.transformToByteArray())
        .catch((err: unknown) => {
          onFailure(err);
          throw err;
        });
      kept = { start, bytes: read };
      return copyOf(read);
    },
  };
}

function copyOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}
