import { DeleteObjectsCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { archivePrefix } from '../../config/schema';
import type { GlueStartInput } from '../../shared/activityInputs';
import { addDays } from '../../shared/dates';
import { errorTypes } from '../../shared/errorTypes';
import type { ClearedOutput } from '../../shared/stepResults';
import { copySource } from '../redshift/copySource';
import { moveOwned } from '../validation/s3Moves';

/**
 * Deletes the date's processed output, or with `glue.previousOutput: archive` moves it to
 * `<archive prefix><date>/processed/<run key>/` in the same bucket. Safe to repeat: what a crash left
 * behind is listed and cleared again, and an archived object is deleted only once its copy is confirmed.
 */
export async function clearPreviousOutput(s3: S3Client, input: OutputToClear): Promise<ClearedOutput> {
  const { date, runKey } = input;
  const { url, bucket, prefix } = safeToClear(input);
  // The run key names the archive folder, which a retry of the same run fills further.
  const archive = input.previousOutput === 'archive' ? `${archiveOf(input)}${date}/processed/${runKey}/` : undefined;
  let objects = 0;
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    const keys = (page.Contents ?? []).map((object) => object.Key!);
    if (keys.length === 0) continue;
    if (archive) {
      for (const key of keys) {
        if (await moveOwned(s3, bucket, key, `${archive}${key.slice(prefix.length)}`)) objects += 1;
      }
    } else {
      await deleteKeys(s3, bucket, keys);
      objects += keys.length;
    }
    heartbeat();
  }
  return archive ? { source: url, action: 'archived', objects, archivedTo: `s3://${bucket}/${archive}` } : { source: url, action: 'deleted', objects };
}

/** A Glue start whose step names the folder its output goes to. */
type OutputToClear = GlueStartInput & { copySource: string };

const outputFolder = (input: OutputToClear, date: string) => copySource({ copy: { source: input.copySource } }, date);

const archiveOf = ({ pipelineName, s3 }: GlueStartInput) => archivePrefix({ name: pipelineName, s3 });

/** At most 1,000 keys, one listing page. */
async function deleteKeys(s3: S3Client, bucket: string, keys: string[]): Promise<void> {
  const { Errors = [] } = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
  if (Errors.length > 0) {
    const [first] = Errors;
    // A plain Error: Temporal retries the activity, which lists the folder again before any Glue run starts.
    throw new Error(`could not delete ${Errors.length} earlier output object(s) under s3://${bucket}/, such as ${first.Key}: ${first.Code} ${first.Message}`);
  }
}

/**
 * The COPY source, once it is certain that clearing it touches the date's processed output only:
 * it must name the date, and must not overlap the folders the pipeline keeps its files in.
 */
function safeToClear(input: OutputToClear) {
  const { date, s3: settings } = input;
  const source = outputFolder(input, date);
  const refuse = (why: string) =>
    ApplicationFailure.nonRetryable(
      `The Glue step's output folder (by default the load's copy.source) ${source.url} ${why}, so the job's earlier output there cannot be cleared safely ` +
        `and nothing was started: point it at the date's own folder of processed output (such as ` +
        `s3://${settings.bucket}/${settings.prefixes.processed}order_date={{date}}/) and run the date again`,
      errorTypes.UnsafeCopySource,
    );
  if (outputFolder(input, addDays(date, 1)).url === source.url) throw refuse('is the same for every date');
  if (source.bucket === settings.bucket) {
    const { raw, validated, errors } = settings.prefixes;
    const kept = [raw, validated, errors, archiveOf(input)];
    const overlapping = kept.find((folder) => folder.startsWith(source.prefix) || source.prefix.startsWith(folder));
    if (overlapping) throw refuse(`overlaps s3://${source.bucket}/${overlapping}`);
  }
  return source;
}
