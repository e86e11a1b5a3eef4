import { userInfo } from 'node:os';
import type { S3Client } from '@aws-sdk/client-s3';
import { dateFolders, reportSuffix } from '../../activities/validation/dateFolders';
import { listFolder } from '../../activities/validation/rawListing';
import { moveOwned, putObjectConfirmed } from '../../activities/validation/s3Moves';
import type { PipelineConfig } from '../../config/schema';
import { UsageError } from '../errors';

/** What `etl drop-file` writes beside a dropped file: who dropped it, when and why. */
export interface DropRecord {
  pipeline: string;
  date: string;
  /** Where the file was rejected: s3://bucket/errors/... */
  file: string;
  droppedAt: string;
  droppedBy: string;
  reason?: string;
}

export interface DroppedFile {
  /** s3:// URL of the file in the archive. */
  movedTo: string;
  /** s3:// URL of its DropRecord. */
  record: string;
}

/**
 * Takes a rejected file out of the date's input for good: it moves, with its report, from errors/ to the
 * archive, with a record of the drop written first, so a date blocked by it can succeed on its next run.
 */
export async function dropRejectedFile(s3: S3Client, pipeline: PipelineConfig, date: string, name: string, reason?: string): Promise<DroppedFile> {
  const { bucket } = pipeline.s3;
  const folders = dateFolders(pipeline, date);
  const rejected = (await listFolder(s3, bucket, folders.errors)).filter((o) => !o.name.endsWith(reportSuffix));
  const file = rejected.find((o) => o.name === name);
  if (!file) {
    const known = rejected.length ? `its rejected files are: ${rejected.map((o) => o.name).join(', ')}` : 'it has no rejected files';
    throw new UsageError(`${pipeline.name} ${date} has no rejected file ${JSON.stringify(name)} in s3://${bucket}/${folders.errors}; ${known}`);
  }
  // A timestamped folder per drop: a name dropped again later does not overwrite the earlier drop.
  const droppedAt = new Date();
  const folder = `${folders.dropped}${droppedAt.toISOString().replace(/[:.]/g, '-')}/`;
  const record: DropRecord = {
    pipeline: pipeline.name,
    date,
    file: `s3://${bucket}/${file.key}`,
    droppedAt: droppedAt.toISOString(),
    droppedBy: process.env.USER ?? userInfo().username,
    ...(reason && { reason }),
  };
  const recordKey = `${folder}${name}.drop.json`;
  await putObjectConfirmed(s3, bucket, recordKey, JSON.stringify(record, null, 2), 'application/json');
  await moveOwned(s3, bucket, `${file.key}${reportSuffix}`, `${folder}${name}${reportSuffix}`);
  // The file leaves errors/ last: once it is gone, the drop is complete.
  await moveOwned(s3, bucket, file.key, `${folder}${name}`);
  return { movedTo: `s3://${bucket}/${folder}${name}`, record: `s3://${bucket}/${recordKey}` };
}
