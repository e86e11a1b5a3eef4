import { Readable } from 'node:stream';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { PipelineConfig } from '../../config/schema';
import { buildErrorReport, describeViolation } from './report';
import { moveObject, putObjectConfirmed } from './s3Moves';
import { validateStream } from './validateStream';

export interface ValidateFilesInput {
  pipeline: PipelineConfig;
  /** 'YYYY-MM-DD', already validated. */
  date: string;
}

export interface FileValidation {
  /** The raw key the file was found under. */
  key: string;
  outcome: 'validated' | 'invalid';
  /** Data rows, not counting the header; 0 for a header-only file. */
  rows: number;
  movedTo: string;
  reportKey?: string;
  errorCount?: number;
  firstError?: string;
}

export interface ValidationResult {
  files: FileValidation[];
  rowsValidated: number;
  /** Files already under validated/ for the date from an earlier run, not moved by this one. */
  previouslyValidatedFiles: number;
}

/** The date's folders in the bucket, such as raw/orders/2024-01-15/. */
interface DateFolders {
  raw: string;
  validated: string;
  errors: string;
}

function dateFolders(pipeline: PipelineConfig, date: string): DateFolders {
  const { prefixes } = pipeline.s3;
  return { raw: `${prefixes.raw}${date}/`, validated: `${prefixes.validated}${date}/`, errors: `${prefixes.errors}${date}/` };
}

export function createValidationActivities(deps: { s3: S3Client }) {
  const { s3 } = deps;

  /** Checks one raw file against the contract and moves it to validated/ or, with a report, to errors/. */
  async function validateFile(pipeline: PipelineConfig, folders: DateFolders, key: string): Promise<FileValidation> {
    const context = Context.current();
    const { bucket } = pipeline.s3;
    const fileName = key.slice(folders.raw.length);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal: context.cancellationSignal,
    });
    if (!(object.Body instanceof Readable) || !object.ETag || object.ContentLength === undefined) {
      throw new Error(`GetObject s3://${bucket}/${key} returned no readable body, ETag or length`);
    }
    const checked = { key, eTag: object.ETag, size: object.ContentLength };
    const validation = await validateStream(object.Body, pipeline.contract, {
      signal: context.cancellationSignal,
      onProgress: (rows) => context.heartbeat({ file: key, rows }),
    });

    if (validation.errorCount === 0) {
      const movedTo = `${folders.validated}${fileName}`;
      await moveObject(s3, bucket, checked, movedTo);
      if (validation.rows === 0) context.log.warn('file has a header but no rows', { file: key });
      context.log.info('file validated', { file: key, rows: validation.rows, movedTo });
      return { key, outcome: 'validated', rows: validation.rows, movedTo };
    }

    const movedTo = `${folders.errors}${fileName}`;
    const reportKey = `${movedTo}.report.json`;
    const report = buildErrorReport(`s3://${bucket}/${key}`, validation, new Date());
    await putObjectConfirmed(s3, bucket, reportKey, JSON.stringify(report, null, 2), 'application/json');
    await moveObject(s3, bucket, checked, movedTo);
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

  async function listKeys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
      for (const object of page.Contents ?? []) {
        if (object.Key && !object.Key.endsWith('/')) keys.push(object.Key);
      }
    }
    return keys;
  }

  return {
    /**
     * Validates the date's raw files and moves each one: valid ones to validated/, invalid ones to errors/
     * with a JSON report beside them. Fails non-retryably when the date has no files at all or when any
     * file is invalid (after all files are moved); S3 errors propagate and are retried.
     */
    async validateFiles(input: ValidateFilesInput): Promise<ValidationResult> {
      const { pipeline, date } = input;
      const { bucket } = pipeline.s3;
      const folders = dateFolders(pipeline, date);
      const context = Context.current();

      const rawKeys = await listKeys(bucket, folders.raw);
      const files: FileValidation[] = [];
      for (const key of rawKeys) {
        context.heartbeat({ file: key, filesDone: files.length, filesFound: rawKeys.length });
        files.push(await validateFile(pipeline, folders, key));
      }

      const movedNow = new Set(files.map((file) => file.movedTo));
      const validatedKeys = await listKeys(bucket, folders.validated);
      const result: ValidationResult = {
        files,
        rowsValidated: files.filter((f) => f.outcome === 'validated').reduce((sum, f) => sum + f.rows, 0),
        previouslyValidatedFiles: validatedKeys.filter((key) => !movedNow.has(key)).length,
      };

      const raw = `s3://${bucket}/${folders.raw}`;
      const validated = `s3://${bucket}/${folders.validated}`;
      if (files.length === 0 && result.previouslyValidatedFiles === 0) {
        throw ApplicationFailure.nonRetryable(
          `No files for ${pipeline.name} ${date}: ${raw} is empty and nothing was validated earlier under ${validated}. ` +
            `Upload the date's files to ${raw} and run the date again.`,
          'NoFilesForDate',
        );
      }
      const invalid = files.filter((file) => file.outcome === 'invalid');
      if (invalid.length > 0) {
        const lines = invalid.map(
          (file) =>
            `- s3://${bucket}/${file.key}: ${file.firstError} ` +
            `(${file.errorCount} error(s) in all; report: s3://${bucket}/${file.reportKey})`,
        );
        throw ApplicationFailure.nonRetryable(
          `${invalid.length} of ${files.length} file(s) for ${pipeline.name} ${date} break the file contract ` +
            `and were moved to s3://${bucket}/${folders.errors}:\n${lines.join('\n')}\n` +
            `Fix them, upload them again to ${raw} and run the date again; the valid files are already in ${validated}.`,
          'InvalidFiles',
          result,
        );
      }
      return result;
    },
  };
}
