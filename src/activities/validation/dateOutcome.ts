import type { S3Client } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import type { DateFilesInput } from '../../shared/activityInputs';
import { errorTypes } from '../../shared/errorTypes';
import type { FileValidation, ValidationResult } from '../../shared/stepResults';
import type { DateFolders } from './dateFolders';
import { keepNewestChecks } from './delivery';
import { invalidFilesMessage, noFilesMessage } from './failureMessages';
import type { CopyLimits } from './multipartCopy';

export interface ValidatedRounds {
  /** Every check of the run's rounds, in order. */
  files: FileValidation[];
  setAsideFiles: string[];
  /** What the last listing of raw/ left alone. */
  ignoredFiles: string[];
}

/**
 * Ends a date's validation once raw/ has nothing left to check: the newest check of each name wins, and the
 * step fails while any file of the date is rejected or when the date has no files at all.
 */
export async function dateOutcome(
  s3: S3Client,
  input: DateFilesInput,
  folders: DateFolders,
  runId: string,
  rounds: ValidatedRounds,
  copyLimits: CopyLimits,
): Promise<ValidationResult> {
  const { files, ignoredFiles } = rounds;
  const { setAside, state } = await keepNewestChecks(s3, input.s3.bucket, folders, runId, copyLimits);

  // The last check of each file this run validated that is still part of the input.
  const validatedNow = new Map(files.filter((f) => f.outcome === 'validated').map((f) => [f.movedTo, f]));
  const dateInput = new Set(state.validated.map((entry) => entry.key));
  const result: ValidationResult = {
    files,
    rowsValidated: [...validatedNow.values()].filter((f) => dateInput.has(f.movedTo)).reduce((sum, f) => sum + f.rows, 0),
    previouslyValidatedFiles: state.validated.filter((entry) => !validatedNow.has(entry.key)).length,
    ignoredFiles,
    setAsideFiles: [...rounds.setAsideFiles, ...setAside],
  };
  if (state.rejected.length > 0) {
    throw ApplicationFailure.nonRetryable(invalidFilesMessage(input, files, state.rejected), errorTypes.InvalidFiles, result);
  }
  if (state.validated.length === 0) {
    throw ApplicationFailure.nonRetryable(noFilesMessage(input, ignoredFiles), errorTypes.NoFilesForDate);
  }
  return result;
}
