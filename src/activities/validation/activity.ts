import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { PipelineConfig } from '../../config/schema';
import { dateFolders, reportSuffix, type DateFolders } from './dateFolders';
import { keepNewestChecks, supersedeEarlierDelivery } from './delivery';
import { filesLandedMessage, invalidFilesMessage, noFilesMessage } from './failureMessages';
import { listRaw, type ListedObject } from './rawListing';
import { buildErrorReport, describeViolation } from './report';
import { moveChecked, putObjectConfirmed, type CheckStamp } from './s3Moves';
import { validateStream } from './validateStream';

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

/** Files that keep landing while a run validates are checked in further rounds, up to this many in all. */
const maxRounds = 5;

export function createValidationActivities(deps: { s3: S3Client }) {
  const { s3 } = deps;

  /** Checks one raw file against the contract and moves it to validated/ or, with a report, to errors/. */
  async function validateFile(pipeline: PipelineConfig, folders: DateFolders, raw: ListedObject, runId: string): Promise<FileValidation> {
    const context = Context.current();
    const { bucket } = pipeline.s3;
    const { key } = raw;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal: context.cancellationSignal,
    });
    if (!(object.Body instanceof Readable) || !object.ETag || object.ContentLength === undefined) {
      throw new Error(`GetObject s3://${bucket}/${key} returned no readable body, ETag or length`);
    }
    const checked = { key, eTag: object.ETag, size: object.ContentLength, versionId: object.VersionId, contentType: object.ContentType };
    const validation = await validateStream(object.Body, pipeline.contract, {
      signal: context.cancellationSignal,
      onProgress: (rows) => context.heartbeat({ file: key, rows }),
    });
    const stamp: CheckStamp = { runId, checkedAt: Date.now() };

    if (validation.errorCount === 0) {
      const movedTo = `${folders.validated}${raw.name}`;
      const moved = await moveChecked(s3, bucket, checked, movedTo, stamp);
      if (moved === 'changed') return changed(context, raw, validation.rows);
      if (validation.rows === 0) context.log.warn('file has a header but no rows', { file: key });
      context.log.info('file validated', { file: key, rows: validation.rows, movedTo });
      return { key, outcome: 'validated', rows: validation.rows, movedTo };
    }

    const movedTo = `${folders.errors}${raw.name}`;
    const reportKey = `${movedTo}${reportSuffix}`;
    const report = buildErrorReport(`s3://${bucket}/${key}`, validation, new Date(stamp.checkedAt));
    await putObjectConfirmed(s3, bucket, reportKey, JSON.stringify(report, null, 2), 'application/json');
    if ((await moveChecked(s3, bucket, checked, movedTo, stamp)) === 'changed') return changed(context, raw, validation.rows);
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

  function changed(context: Context, raw: ListedObject, rows: number): FileValidation {
    context.log.warn('file changed while it was being moved; its new version is checked again', { file: raw.key });
    return { key: raw.key, outcome: 'changed', rows, movedTo: raw.key };
  }

  return {
    /**
     * Makes the date's input exactly the files that landed for it, each checked: valid ones move to
     * validated/, invalid ones to errors/ with a JSON report beside them. raw/ is listed again after each round,
     * so files landing meanwhile are checked too. Fails non-retryably while any file of the date is rejected
     * (from this run or an earlier one) and when the date has no files at all; S3 errors are retried.
     */
    async validateFiles(input: ValidateFilesInput): Promise<ValidationResult> {
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
        if ((pipeline.s3.redelivery ?? 'replace') === 'replace') {
          setAsideFiles.push(...(await supersedeEarlierDelivery(s3, bucket, folders, raw.files.map((f) => f.name), runId)));
        }
        for (const object of raw.files) {
          context.heartbeat({ file: object.key, filesDone: files.length, round });
          files.push(await validateFile(pipeline, folders, object, runId));
        }
      }
      const { setAside, state } = await keepNewestChecks(s3, bucket, folders, runId);
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
