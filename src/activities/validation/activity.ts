import type { S3Client } from '@aws-sdk/client-s3';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { BatchLimits, DateFilesInput, FileCheckInput } from '../../shared/activityInputs';
import { errorTypes } from '../../shared/errorTypes';
import type { FileValidation, ValidationResult } from '../../shared/stepResults';
import { dateFilesOf, fileCheckOf, roundPlanOf, type WithConfig } from '../earlierInputs';
import { inputFolders } from './dateFolders';
import { dateOutcome, type ValidatedRounds } from './dateOutcome';
import { filesLandedMessage } from './failureMessages';
import { createFileCheck } from './fileCheck';
import { checkFiles } from './fileChecks';
import { defaultCopyLimits, type CopyLimits } from './multipartCopy';
import { listRaw, type ListedObject } from './rawListing';
import { batchesOf, filesStillLanding, prepareRound, roundsPerAttempt } from './roundPlan';
import { nonRetryableS3Failure } from './s3Failures';
import { withSteadyHeartbeat } from '../steadyHeartbeat';

export interface ValidationOptions {
  /** Files one activity checks at once, of its batch or round (default 4): each holds one S3 stream and one parser. */
  fileConcurrency?: number;
  /** When a move copies in parts, and how (tests use small parts). */
  copyLimits?: CopyLimits;
}

/** What the step heartbeats: the file that progressed, and the progress of the round (or batch) in files and bytes. */
export interface ValidationProgress {
  round: number;
  file: string;
  /** Rows of `file` checked so far. */
  rows: number;
  filesDone: number;
  filesToCheck: number;
  bytesDone: number;
  bytesToCheck: number;
  /** A batch's checks done so far, so a retry of the batch checks only the rest. */
  checked?: FileValidation[];
}

/** One round of the fan-out: raw/ listed again, what it holds readied and cut into batches. */
export interface RoundPlanInput extends DateFilesInput {
  round: number;
  batch: BatchLimits;
}

export interface RoundPlan {
  /** The round's files, to be checked a batch per activity; none when raw/ holds nothing more to check. */
  batches: ListedObject[][];
  ignoredFiles: string[];
  setAsideFiles: string[];
}

export interface FileBatchInput extends FileCheckInput {
  round: number;
  files: ListedObject[];
}

export interface FinishValidationInput extends DateFilesInput, ValidatedRounds {}

export function createValidationActivities(deps: { s3: S3Client; validation?: ValidationOptions }) {
  const { s3 } = deps;
  const { fileConcurrency = 4, copyLimits = defaultCopyLimits } = deps.validation ?? {};
  const checkFile = createFileCheck(s3, copyLimits);
  // The pipeline workflow always schedules these activities, so the run is known.
  const runIdOf = (context: Context) => context.info.workflowExecution!.runId;
  const failingAs = (input: DateFilesInput) => (err: unknown) => {
    throw nonRetryableS3Failure(err, `validating s3://${input.s3.bucket}/${inputFolders(input).raw}`);
  };

  /** The date's rounds in one activity, as runs started before the step fanned out do. */
  async function validateDate(input: FileCheckInput): Promise<ValidationResult> {
    const folders = inputFolders(input);
    const runId = runIdOf(Context.current());
    const rounds: ValidatedRounds = { files: [], setAsideFiles: [], ignoredFiles: [] };
    for (let round = 1; ; round++) {
      const raw = await listRaw(s3, input, folders.raw);
      rounds.ignoredFiles = raw.ignored.map((object) => object.key);
      if (raw.files.length === 0) break;
      if (round > roundsPerAttempt) throw filesStillLanding(input, folders, raw.files, roundsPerAttempt, true);
      rounds.setAsideFiles.push(...(await prepareRound(s3, input, folders, raw.files, runId, copyLimits)));
      rounds.files.push(...(await checkFiles(checkFile, { input, folders, files: raw.files, runId, round, concurrency: fileConcurrency })));
    }
    return dateOutcome(s3, input, folders, runId, rounds, copyLimits);
  }

  /**
   * Lists raw/ for the round and readies its files. Like the retries of the one-activity step, every
   * `roundsPerAttempt` rounds with files still landing pause for the step's retry backoff (a retryable
   * FilesStillLanding the retry goes on from), and past the rounds its attempts allow the step fails.
   */
  async function planRound(input: RoundPlanInput): Promise<RoundPlan> {
    const { round } = input;
    const folders = inputFolders(input);
    const { info } = Context.current();
    const raw = await listRaw(s3, input, folders.raw);
    const ignoredFiles = raw.ignored.map((object) => object.key);
    if (raw.files.length === 0) return { batches: [], ignoredFiles, setAsideFiles: [] };
    const lastRound = roundsPerAttempt * (info.retryPolicy?.maximumAttempts || 1);
    if (round > lastRound) throw filesStillLanding(input, folders, raw.files, lastRound, false);
    if (round > 1 && (round - 1) % roundsPerAttempt === 0 && info.attempt === 1) throw filesStillLanding(input, folders, raw.files, round - 1, true);
    const setAsideFiles = await prepareRound(s3, input, folders, raw.files, runIdOf(Context.current()), copyLimits);
    return { batches: batchesOf(raw.files, input.batch), ignoredFiles, setAsideFiles };
  }

  /** Checks a batch of a round's files, resuming after the checks an earlier attempt heartbeated. */
  async function checkBatch(input: FileBatchInput): Promise<FileValidation[]> {
    const { round, files } = input;
    const context = Context.current();
    const resumed = (context.info.heartbeatDetails as ValidationProgress | undefined)?.checked;
    const folders = inputFolders(input);
    return checkFiles(checkFile, { input, folders, files, runId: runIdOf(context), round, concurrency: fileConcurrency, resumed, heartbeatChecks: true });
  }

  return {
    /**
     * Makes the date's input exactly the files that landed for it, each checked: valid ones move to
     * validated/, invalid ones to errors/ with a JSON report beside them. raw/ is listed again after each round,
     * so files landing meanwhile are checked too. Fails non-retryably while any file of the date is rejected
     * (from this run or an earlier one), when the date has no files at all, when a file is larger than
     * s3.maxFileSize and when S3 refuses access or has no such bucket; other S3 errors are retried.
     * The same step as planValidationRound, validateFileBatch and finishValidation, in one activity.
     */
    async validateFiles(given: FileCheckInput | WithConfig<FileCheckInput, 'pipelineName' | 's3' | 'contract'>): Promise<ValidationResult> {
      const input = fileCheckOf(given);
      return withSteadyHeartbeat(() => validateDate(input)).catch(failingAs(input));
    },

    /** The validate step fanned out, first of each round: lists raw/ again and returns its files in batches. */
    async planValidationRound(given: RoundPlanInput | WithConfig<RoundPlanInput, 'pipelineName' | 's3' | 'batch'>): Promise<RoundPlan> {
      const input = roundPlanOf(given);
      return withSteadyHeartbeat(() => planRound(input)).catch(failingAs(input));
    },

    /** The validate step fanned out: checks one batch of a round's files, heartbeating files and bytes done. */
    async validateFileBatch(given: FileBatchInput | WithConfig<FileBatchInput, 'pipelineName' | 's3' | 'contract'>): Promise<FileValidation[]> {
      return withSteadyHeartbeat(() => checkBatch(fileCheckOf(given)));
    },

    /** The validate step fanned out, once raw/ holds nothing more to check: the date's result, or why it cannot go on. */
    async finishValidation(given: FinishValidationInput | WithConfig<FinishValidationInput, 'pipelineName' | 's3'>): Promise<ValidationResult> {
      const input = dateFilesOf(given);
      const { files, setAsideFiles, ignoredFiles } = input;
      const runId = runIdOf(Context.current());
      return withSteadyHeartbeat(() => dateOutcome(s3, input, inputFolders(input), runId, { files, setAsideFiles, ignoredFiles }, copyLimits)).catch(
        failingAs(input),
      );
    },

    /**
     * Fails when data files landed in raw/ after validation: the Glue output does not hold them, so loading it
     * would report the date complete without them. Run just before the load, which then changes nothing.
     */
    async confirmNoFilesLanded(given: DateFilesInput | WithConfig<DateFilesInput, 'pipelineName' | 's3'>): Promise<void> {
      const input = dateFilesOf(given);
      const raw = await listRaw(s3, input, inputFolders(input).raw);
      if (raw.files.length > 0) {
        throw ApplicationFailure.nonRetryable(filesLandedMessage(input, raw.files), errorTypes.FilesLandedAfterValidation);
      }
    },
  };
}
