import type { S3Client } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import { sizeInBytes } from '../../config/sizes';
import type { DateFilesInput } from '../../shared/activityInputs';
import { errorTypes } from '../../shared/errorTypes';
import type { DateFolders } from './dateFolders';
import { supersedeEarlierDelivery } from './delivery';
import { tooLargeMessage } from './failureMessages';
import type { CopyLimits } from './multipartCopy';
import type { ListedObject } from './rawListing';

/** Files that keep landing while a run validates are checked in further rounds, this many per attempt of the step. */
export const roundsPerAttempt = 5;

/** The failure of a date whose raw/ folder still holds files after the rounds allowed. */
export function filesStillLanding(input: DateFilesInput, folders: DateFolders, files: ListedObject[], rounds: number, retryable: boolean) {
  const message =
    `s3://${input.s3.bucket}/${folders.raw} still holds ${files.length} unchecked file(s) after ${rounds} rounds of validation: ` +
    `files keep landing, or cannot be moved. ${retryable ? 'The step is retried; if it keeps failing, check' : 'Check'} what writes there` +
    `${retryable ? '' : ', then run the date again'}.`;
  return retryable ? ApplicationFailure.retryable(message, errorTypes.FilesStillLanding) : ApplicationFailure.nonRetryable(message, errorTypes.FilesStillLanding);
}

/** Fails the step before anything is read when a file is larger than the pipeline allows: no retry can change that. */
export function refuseTooLarge(input: DateFilesInput, files: ListedObject[]): void {
  if (!input.s3.maxFileSize) return;
  const max = sizeInBytes(input.s3.maxFileSize);
  const tooLarge = files.filter((file) => file.size > max);
  if (tooLarge.length) throw ApplicationFailure.nonRetryable(tooLargeMessage(input, tooLarge), errorTypes.FileTooLarge);
}

/**
 * Readies a round's files for checking: refuses one too large and, in `replace` mode, sets aside the earlier
 * delivery they supersede. Returns the keys set aside.
 */
export async function prepareRound(s3: S3Client, input: DateFilesInput, folders: DateFolders, files: ListedObject[], runId: string, copyLimits: CopyLimits) {
  refuseTooLarge(input, files);
  if ((input.s3.redelivery ?? 'replace') !== 'replace') return [];
  return supersedeEarlierDelivery(
    s3,
    input.s3.bucket,
    folders,
    files.map((f) => f.name),
    runId,
    copyLimits,
  );
}

/** The files in batches of at most `files` files and `bytes` bytes, in listing order; a larger file is a batch of its own. */
export function batchesOf(objects: ListedObject[], limits: { files: number; bytes: number }): ListedObject[][] {
  const batches: ListedObject[][] = [];
  let batch: ListedObject[] = [];
  let bytes = 0;
  for (const object of objects) {
    if (batch.length && (batch.length === limits.files || bytes + object.size > limits.bytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(object);
    bytes += object.size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}
