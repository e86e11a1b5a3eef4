import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { sizeInBytes, type PipelineConfig } from '../../config/schema';
import { boundedMap } from './boundedMap';
import { compressionOf, readText } from './compression';
import { dateFolders, reportSuffix, type DateFolders } from './dateFolders';
import { keepNewestChecks, supersedeEarlierDelivery } from './delivery';
import { filesLandedMessage, invalidFilesMessage, noFilesMessage, tooLargeMessage } from './failureMessages';
import { defaultCopyLimits, type CopyLimits } from './multipartCopy';
import { listRaw, type ListedObject } from './rawListing';
import { buildErrorReport, describeViolation } from './report';
import { nonRetryableS3Failure } from './s3Failures';
import { moveChecked, putObjectConfirmed, type CheckedObject, type CheckStamp } from './s3Moves';
import { validateStream, type StreamValidation, type Violation } from './validateStream';

export interface ValidateFilesInput {
  pipeline: PipelineConfig;
  /** 'YYYY-MM-DD', already validated. */
  date: string;
}

export interface FileValidation {
  /** The raw key the file was found under. */
  key: string;
  /** `changed`: the file was replaced or removed in raw/ while it was being moved; a new version is checked again. */
  outcome: 'validated' | 'invalid' | 'changed';
  /** Data rows, not counting the header; 0 for a header-only file. */
  rows: number;
  movedTo: string;
  reportKey?: string;
  errorCount?: number;
  firstError?: string;
}

export interface ValidationResult {
  /** Every file this run checked, in the order it checked them (a file replaced meanwhile appears again). */
  files: FileValidation[];
  rowsValidated: number;
  /** Files already under validated/ for the date from an earlier run, not moved by this one. */
  previouslyValidatedFiles: number;
  /** Raw objects left alone: markers such as _SUCCESS, temporary and zero-byte objects (`s3.ignore`). */
  ignoredFiles?: string[];
  /** Files no longer part of the date's input, moved under the archive prefix: a superseded delivery, replaced checks. */
  setAsideFiles?: string[];
}

/** Fails the step before anything is read when a file is larger than the pipeline allows: no retry can change that. */
function refuseTooLarge(pipeline: PipelineConfig, files: ListedObject[]): void {
  if (!pipeline.s3.maxFileSize) return;
  const max = sizeInBytes(pipeline.s3.maxFileSize);
  const tooLarge = files.filter((file) => file.size > max);
  if (tooLarge.length) throw ApplicationFailure.nonRetryable(tooLargeMessage(pipeline, tooLarge), 'FileTooLarge');
}

/** Files that keep landing while a run validates are checked in further rounds, up to this many in all. */
const maxRounds = 5;

export interface ValidationOptions {
  /** A date's files checked at once (default 4): each holds one S3 stream and one parser. */
  fileConcurrency?: number;
  /** When a move copies in parts, and how (tests use small parts). */
  copyLimits?: CopyLimits;
}

/** What the step heartbeats: the file that progressed, and the round's progress in files and bytes. */
export interface ValidationProgress {
  round: number;
  file: string;
  /** Rows of `file` checked so far. */
  rows: number;
  filesDone: number;
  filesToCheck: number;
  bytesDone: number;
  bytesToCheck: number;
}

export function createValidationActivities(deps: { s3: S3Client; validation?: ValidationOptions }) {
  const { s3 } = deps;
  const { fileConcurrency = 4, copyLimits = defaultCopyLimits } = deps.validation ?? {};

  /** Checks one raw file against the contract and moves it to validated/ or, with a report, to errors/. */
  async function validateFile(
    pipeline: PipelineConfig,
    folders: DateFolders,
    raw: ListedObject,
    runId: string,
    progress: (update: { rows?: number; bytesRead?: number }) => void,
  ): Promise<FileValidation> {
    const context = Context.current();
    const { bucket } = pipeline.s3;
    const { key } = raw;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal: context.cancellationSignal,
    });
    if (!(object.Body instanceof Readable) || !object.ETag || object.ContentLength === undefined) {
      throw new Error(`GetObject s3://${bucket}/${key} returned no readable body, ETag or length`);
    }
    const checked: CheckedObject = {
      key,
      eTag: object.ETag,
      size: object.ContentLength,
      versionId: object.VersionId,
      contentType: object.ContentType,
      contentEncoding: object.ContentEncoding,
    };
    try {
      // A re-upload since the listing may be larger than the listing said.
      refuseTooLarge(pipeline, [{ ...raw, size: checked.size }]);
    } catch (err) {
      object.Body.destroy();
      throw err;
    }
    const validation = await checkText(object.Body, raw.name, checked.contentEncoding, pipeline, context, progress);
    const stamp: CheckStamp = { runId, checkedAt: Date.now() };
    const moveOptions = { limits: copyLimits, onBytesCopied: () => progress({}) };

    if (validation.errorCount === 0) {
      const movedTo = `${folders.validated}${raw.name}`;
      const moved = await moveChecked(s3, bucket, checked, movedTo, stamp, moveOptions);
      if (moved === 'changed') return changed(context, raw, validation.rows);
      if (validation.rows === 0) context.log.warn('file has a header but no rows', { file: key });
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
  }

  /**
   * The contract check of the object's text, decompressed. An unsupported compression, or compressed data that
   * cannot be read to its end, is the file's one violation (whatever the text before it held).
   */
  async function checkText(
    body: Readable,
    name: string,
    contentEncoding: string | undefined,
    pipeline: PipelineConfig,
    context: Context,
    progress: (update: { rows?: number; bytesRead?: number }) => void,
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
    const validation = await validateStream(text, pipeline.contract, {
      signal: context.cancellationSignal,
      onProgress: (rows) => progress({ rows }),
    });
    return unreadable ? { rows: validation.rows, errorCount: 1, sample: [unreadable] } : validation;
  }

  function changed(context: Context, raw: ListedObject, rows: number): FileValidation {
    context.log.warn('file changed while it was being moved; its new version is checked again', { file: raw.key });
    return { key: raw.key, outcome: 'changed', rows, movedTo: raw.key };
  }

  /** Checks a round's files, `fileConcurrency` at once, heartbeating the round's progress; results in listing order. */
  async function validateRound(pipeline: PipelineConfig, folders: DateFolders, files: ListedObject[], runId: string, round: number) {
    const context = Context.current();
    const bytesRead = new Map<string, number>();
    const state = { filesDone: 0, bytesDone: 0 };
    const bytesToCheck = files.reduce((sum, file) => sum + file.size, 0);
    const heartbeat = (file: string, rows: number) => {
      const progress: ValidationProgress = { round, file, rows, filesDone: state.filesDone, filesToCheck: files.length, bytesDone: state.bytesDone, bytesToCheck };
      context.heartbeat(progress);
    };
    return boundedMap(files, fileConcurrency, async (object) => {
      let rows = 0;
      heartbeat(object.key, rows);
      const checked = await validateFile(pipeline, folders, object, runId, (update) => {
        if (update.bytesRead !== undefined) {
          state.bytesDone += update.bytesRead - (bytesRead.get(object.key) ?? 0);
          bytesRead.set(object.key, update.bytesRead);
          return;
        }
        rows = update.rows ?? rows;
        heartbeat(object.key, rows);
      }).catch((err: unknown) => {
        throw nonRetryableS3Failure(err, `reading or moving s3://${pipeline.s3.bucket}/${object.key}`);
      });
      state.filesDone += 1;
      heartbeat(object.key, checked.rows);
      return checked;
    });
  }

  async function validateDate(input: ValidateFilesInput): Promise<ValidationResult> {
    const { pipeline, date } = input;
    const { bucket } = pipeline.s3;
    const folders = dateFolders(pipeline, date);
    const context = Context.current();
    // The pipeline workflow always schedules this activity, so the run is known.
    const runId = context.info.workflowExecution!.runId;

    const files: FileValidation[] = [];
    const setAsideFiles: string[] = [];
    let ignored: ListedObject[] = [];
    for (let round = 1; ; round++) {
      const raw = await listRaw(s3, pipeline, folders.raw);
      ignored = raw.ignored;
      if (raw.files.length === 0) break;
      if (round > maxRounds) {
        throw ApplicationFailure.retryable(
          `s3://${bucket}/${folders.raw} still holds ${raw.files.length} unchecked file(s) after ${maxRounds} rounds of ` +
            `validation: files keep landing, or cannot be moved. The step is retried; if it keeps failing, check what writes there.`,
          'FilesStillLanding',
        );
      }
      refuseTooLarge(pipeline, raw.files);
      if ((pipeline.s3.redelivery ?? 'replace') === 'replace') {
        setAsideFiles.push(...(await supersedeEarlierDelivery(s3, bucket, folders, raw.files.map((f) => f.name), runId, copyLimits)));
      }
      files.push(...(await validateRound(pipeline, folders, raw.files, runId, round)));
    }
    const { setAside, state } = await keepNewestChecks(s3, bucket, folders, runId, copyLimits);
    setAsideFiles.push(...setAside);

    // The last check of each file this run validated that is still part of the input.
    const validatedNow = new Map(files.filter((f) => f.outcome === 'validated').map((f) => [f.movedTo, f]));
    const dateInput = new Set(state.validated.map((entry) => entry.key));
    const result: ValidationResult = {
      files,
      rowsValidated: [...validatedNow.values()].filter((f) => dateInput.has(f.movedTo)).reduce((sum, f) => sum + f.rows, 0),
      previouslyValidatedFiles: state.validated.filter((entry) => !validatedNow.has(entry.key)).length,
      ignoredFiles: ignored.map((object) => object.key),
      setAsideFiles,
    };
    if (state.rejected.length > 0) {
      throw ApplicationFailure.nonRetryable(invalidFilesMessage(pipeline, date, files, state.rejected), 'InvalidFiles', result);
    }
    if (state.validated.length === 0) {
      throw ApplicationFailure.nonRetryable(noFilesMessage(pipeline, date, result.ignoredFiles ?? []), 'NoFilesForDate');
    }
    return result;
  }

  return {
    /**
     * Makes the date's input exactly the files that landed for it, each checked: valid ones move to
     * validated/, invalid ones to errors/ with a JSON report beside them. raw/ is listed again after each round,
     * so files landing meanwhile are checked too. Fails non-retryably while any file of the date is rejected
     * (from this run or an earlier one), when the date has no files at all, when a file is larger than
     * s3.maxFileSize and when S3 refuses access or has no such bucket; other S3 errors are retried.
     */
    async validateFiles(input: ValidateFilesInput): Promise<ValidationResult> {
      return validateDate(input).catch((err: unknown) => {
        throw nonRetryableS3Failure(err, `validating s3://${input.pipeline.s3.bucket}/${dateFolders(input.pipeline, input.date).raw}`);
      });
    },

    /**
     * Fails when data files landed in raw/ after validation: the Glue output does not hold them, so loading it
     * would report the date complete without them. Run just before the load, which then changes nothing.
     */
    async confirmNoFilesLanded({ pipeline, date }: ValidateFilesInput): Promise<void> {
      const raw = await listRaw(s3, pipeline, dateFolders(pipeline, date).raw);
      if (raw.files.length > 0) {
        throw ApplicationFailure.nonRetryable(filesLandedMessage(pipeline, date, raw.files), 'FilesLandedAfterValidation');
      }
    },
  };
}
