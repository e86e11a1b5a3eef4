import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { PipelineConfig } from '../../config/schema';
import type { BackfillProgress, BackfillResult } from '../../shared/backfill';
import { backfillWorkflowId } from '../../shared/ids';
import { searchAttributes } from '../../shared/searchAttributes';
import { backfillPipeline, backfillProgressQuery } from '../../workflows';
import { selects, type BackfillSelection } from './backfillSelection';
import { closedRun, type ClosedRun } from './closedRun';
import { latestRunsByDate, type LatestDateRun } from './runHistory';
import { pollUntilSettled } from './pollUntilSettled';

export interface BackfillRange {
  pipeline: PipelineConfig;
  from: string;
  to: string;
}

/** The dates of the range that `only` selects, each with its latest run in Temporal (the reason it is selected). */
export async function planBackfill(client: Client, { pipeline, from, to }: BackfillRange, only: BackfillSelection): Promise<LatestDateRun[]> {
  const latest = await latestRunsByDate(client, pipeline.name, from, to);
  return latest.filter(({ outcome }) => selects(only, outcome));
}

export interface StartedBackfill {
  handle: WorkflowHandle<typeof backfillPipeline>;
  workflowId: string;
  runId: string;
  /** True when a backfill of this range was already running and we attached to it instead. */
  attached: boolean;
}

/** Starts the backfill of the dates, or attaches to the backfill of the same range that is already running. */
export async function startBackfill(client: Client, range: BackfillRange, dates: string[], concurrency: number): Promise<StartedBackfill> {
  const { pipeline, from, to } = range;
  const workflowId = backfillWorkflowId(pipeline.name, from, to);
  try {
    const handle = await client.workflow.start(backfillPipeline, {
      taskQueue: pipeline.taskQueue,
      workflowId,
      args: [{ pipeline, dates, concurrency }],
      typedSearchAttributes: [
        { key: searchAttributes.pipeline, value: pipeline.name },
        { key: searchAttributes.trigger, value: 'backfill' },
      ],
      staticSummary: `${pipeline.name} backfill ${from} to ${to} (${dates.length} date(s))`,
    });
    return { handle, workflowId, runId: handle.firstExecutionRunId, attached: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const { runId } = await client.workflow.getHandle(workflowId).describe();
    return { handle: client.workflow.getHandle<typeof backfillPipeline>(workflowId), workflowId, runId, attached: true };
  }
}

/** How a backfill closed; one that did not succeed carries the last progress it reported. */
export type ClosedBackfill = ClosedRun<BackfillResult> & { progress?: BackfillProgress };

/** Waits for the backfill to close, passing each answer of its progress query to `onProgress`. */
export async function waitForBackfill(backfill: StartedBackfill, onProgress: (progress: BackfillProgress) => void, pollMs = 1000): Promise<ClosedBackfill> {
  // Without a run id, the handle follows the backfill through continue-as-new.
  const { handle } = backfill;
  let latest: BackfillProgress | undefined;
  const report = (progress: BackfillProgress) => {
    latest = progress;
    onProgress(progress);
  };
  const result = handle.result();
  // A query can miss while the backfill continues as new; the next poll answers.
  await pollUntilSettled(result, () => handle.query(backfillProgressQuery).then(report, () => undefined), pollMs);
  const closed = await closedRun(handle, result);
  if (closed.outcome !== 'succeeded') return { ...closed, progress: latest };
  const { result: tally } = closed;
  onProgress({ ...tally, running: 0, pending: tally.total - tally.succeeded - tally.failed });
  return closed;
}
