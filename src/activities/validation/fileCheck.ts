import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Context } from '@temporalio/activity';
import type { Contract } from '../../steps/validate/settings';
import type { FileCheckInput } from '../../shared/activityInputs';
import type { FileValidation } from '../../shared/stepResults';
import { compressionOf, readText } from './compression';
import { reportSuffix, type DateFolders } from './dateFolders';
import type { CopyLimits } from './multipartCopy';
import { validateJsonLines } from './jsonLinesCheck';
import { checkParquetMetadata } from './parquetCheck';
import { readParquetFooter } from './parquetFooter';
import type { ListedObject } from './rawListing';
import { buildErrorReport, describeViolation } from './report';
import { refuseTooLarge } from './roundPlan';
import { moveChecked, putObjectConfirmed, type CheckedObject, type CheckStamp } from './s3Moves';
import { validateStream, type StreamValidation, type Violation } from './validateStream';

/** What a file's check reports as it goes: rows checked, or compressed bytes read, so far. */
export type FileProgress = (update: { rows?: number; bytesRead?: number }) => void;

/** Checks one raw file against the contract and moves it to validated/ or, with a report, to errors/. */
export type FileCheck = (
  input: FileCheckInput,
  folders: DateFolders,
  raw: ListedObject,
  runId: string,
  progress: FileProgress,
) => Promise<FileValidation | undefined>;

/**
 * The check of one file. Returns undefined when the file left raw/ before it was read (moved by an earlier
 * attempt of the same check, or deleted by its producer): the next listing of raw/ decides what is left to do.
 */
export function createFileCheck(s3: S3Client, copyLimits: CopyLimits): FileCheck {
  return async function checkFile(input, folders, raw, runId, progress) {
    const context = Context.current();
    const { bucket } = input.s3;
    const { key } = raw;
    // A Parquet file is checked by its footer; the other formats are read through.
    const checkObject = input.contract.format === 'parquet' ? checkParquetObject : checkTextObject;
    const found = await checkObject(s3, input, raw, context, progress);
    if (!found) {
      context.log.info('file left raw/ before it was checked', { file: key });
      return undefined;
    }
    const { checked, validation } = found;
    const stamp: CheckStamp = { runId, checkedAt: Date.now() };
    const moveOptions = { limits: copyLimits, onBytesCopied: () => progress({}) };

    if (validation.errorCount === 0) {
      const movedTo = `${folders.validated}${raw.name}`;
      const moved = await moveChecked(s3, bucket, checked, movedTo, stamp, moveOptions);
      if (moved === 'changed') return changed(context, raw, validation.rows);
      if (validation.rows === 0) context.log.warn('file has no rows', { file: key });
      context.log.info('file validated', { file: key, rows: validation.rows, movedTo });
      return { key, outcome: 'validated', rows: validation.rows, movedTo };
    }

    const movedTo = `${folders.errors}${raw.name}`;
    const reportKey = `${movedTo}${reportSuffix}`;
    const report = buildErrorReport(`s3://${bucket}/${key}`, validation, new Date(stamp.checkedAt));
    await putObjectConfirmed(s3, bucket, reportKey, JSON.stringify(report, null, 2), 'application/json');
    if ((await moveChecked(s3, bucket, checked, movedTo, stamp, moveOptions)) === 'changed') return changed(context, raw, validation.rows);
    context.log.warn('file breaks the contract', { file: key, errors: validation.errorCount, report: reportKey });
    return {
      key,
      outcome: 'invalid',
      rows: validation.rows,
      movedTo,
      reportKey,
      errorCount: validation.errorCount,
      firstError: describeViolation(validation.sample[0]),
    };
  };
}

/** The checked version of an object, and what its check found. */
interface ObjectCheck {
  checked: CheckedObject;
  validation: StreamValidation;
}

/** Reads the object through and checks its text; undefined when it is gone. */
async function checkTextObject(s3: S3Client, input: FileCheckInput, raw: ListedObject, context: Context, progress: FileProgress): Promise<ObjectCheck | undefined> {
  const { bucket } = input.s3;
  const { key } = raw;
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: context.cancellationSignal }).catch((err: unknown) => {
    if ((err as Error).name === 'NoSuchKey') return undefined;
    throw err;
  });
  if (!object) return undefined;
  if (!(object.Body instanceof Readable) || !object.ETag || object.ContentLength === undefined) {
    throw new Error(`GetObject s3://${bucket}/${key} returned no readable body, ETag or length`);
  }
  const checked = checkedVersion(key, object.ETag, object.ContentLength, object);
  try {
    // A re-upload since the listing may be larger than the listing said.
    refuseTooLarge(input, [{ ...raw, size: checked.size }]);
  } catch (err) {
    object.Body.destroy();
    throw err;
  }
  return { checked, validation: await checkText(object.Body, raw.name, checked.contentEncoding, input.contract, context, progress) };
}

/** The version a GetObject or HeadObject answer describes. */
function checkedVersion(key: string, eTag: string, size: number, object: { VersionId?: string; ContentType?: string; ContentEncoding?: string }): CheckedObject {
  return { key, eTag, size, versionId: object.VersionId, contentType: object.ContentType, contentEncoding: object.ContentEncoding };
}

/** Checks a Parquet object by its footer, read with ranged GETs of the version its HEAD found; undefined when it is gone. */
async function checkParquetObject(s3: S3Client, input: FileCheckInput, raw: ListedObject, context: Context): Promise<ObjectCheck | undefined> {
  const { bucket } = input.s3;
  const { key } = raw;
  const object = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: context.cancellationSignal }).catch((err: unknown) => {
    if ((err as Error).name === 'NotFound') return undefined;
    throw err;
  });
  if (!object) return undefined;
  if (!object.ETag || object.ContentLength === undefined) throw new Error(`HeadObject s3://${bucket}/${key} returned no ETag or length`);
  const checked = checkedVersion(key, object.ETag, object.ContentLength, object);
  refuseTooLarge(input, [{ ...raw, size: checked.size }]);
  const compression = compressionOf(raw.name, checked.contentEncoding);
  if ('unsupported' in compression || compression.compression) {
    const reason =
      'unsupported' in compression
        ? compression.unsupported
        : `a Parquet file compressed as a whole (${compression.compression}) cannot be read by its footer, nor by Glue or Redshift COPY: ` +
          'land it uncompressed (Parquet compresses its own column chunks)';
    return { checked, validation: { rows: 0, errorCount: 1, sample: [{ reason }] } };
  }
  const footer = await readParquetFooter(s3, bucket, checked, context.cancellationSignal);
  const validation: StreamValidation =
    'unreadable' in footer ? { rows: 0, errorCount: 1, sample: [{ reason: footer.unreadable }] } : checkParquetMetadata(footer.metadata, input.contract);
  return { checked, validation };
}

/**
 * The contract check of the object's text, decompressed. An unsupported compression, or compressed data that
 * cannot be read to its end, is the file's one violation (whatever the text before it held).
 */
async function checkText(
  body: Readable,
  name: string,
  contentEncoding: string | undefined,
  contract: Contract,
  context: Context,
  progress: FileProgress,
): Promise<StreamValidation> {
  const compression = compressionOf(name, contentEncoding);
  if ('unsupported' in compression) {
    body.destroy();
    return { rows: 0, errorCount: 1, sample: [{ line: 1, reason: compression.unsupported }] };
  }
  let unreadable: Violation | undefined;
  const text = readText(body, compression.compression, {
    onUnreadable: (violation) => (unreadable = violation),
    onBytesRead: (bytesRead) => progress({ bytesRead }),
  });
  const validate = contract.format === 'jsonl' ? validateJsonLines : validateStream;
  const validation = await validate(text, contract, {
    signal: context.cancellationSignal,
    onProgress: (rows) => progress({ rows }),
  });
  return unreadable ? { rows: validation.rows, errorCount: 1, sample: [unreadable] } : validation;
}

function changed(context: Context, raw: ListedObject, rows: number): FileValidation {
  context.log.warn('file changed while it was being moved; its new version is checked again', { file: raw.key });
  return { key: raw.key, outcome: 'changed', rows, movedTo: raw.key };
}
