import {
  CancelledFailure,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { PipelineConfig } from '../config/schema';
import type { BackfillProgress, BackfillResult } from '../shared/backfill';
import { backfillWorkflowId } from '../shared/ids';
import { searchAttributes } from '../shared/searchAttributes';
import { backfillPipeline, backfillProgressQuery } from '../workflows';
import { latestRunsByDate, type DateRunStatus } from './runHistory';
import { pollUntilSettled } from './pollUntilSettled';

/** Which dates of the range a backfill runs: every one, those whose last run did not succeed, or those never run. */
export const backfillSelections = ['all', 'failed', 'missing'] as const;
export type BackfillSelection = (typeof backfillSelections)[number];

export interface BackfillRange {
  pipeline: PipelineConfig;
  from: string;
  to: string;
}

/** A date the backfill will run, and why. */
export interface PlannedDate {
  date: string;
  reason: string;
}

/** A latest run that closed without succeeding counts as failed: rerunning it is what `--only failed` is for. */
const unsuccessful = new Set(['failed', 'cancelled', 'terminated', 'timed out']);
/** A date whose scheduled run skipped it never ran either: `--only missing` runs it. */
const neverRan = new Set(['never ran', 'skipped']);

/** The dates of the range that `only` selects, each with the reason, from each date's latest run in Temporal. */
export async function planBackfill(client: Client, { pipeline, from, to }: BackfillRange, only: BackfillSelection): Promise<PlannedDate[]> {
  const latest = await latestRunsByDate(client, pipeline.name, from, to);
  const selected = latest.filter(({ outcome }) =>
    only === 'failed' ? unsuccessful.has(outcome) : only === 'missing' ? neverRan.has(outcome) : true,
  );
  return selected.map((run) => ({ date: run.date, reason: only === 'all' ? `requested; ${lastRun(run)}` : lastRun(run) }));
}

/** The date's latest run in a few words, such as "failed at load (last run ended 2024-06-01T10:22:31Z)". */
function lastRun({ outcome, step, closeTime }: DateRunStatus): string {
  if (outcome === 'never ran') return 'never ran';
  if (outcome === 'running') return `running now${step ? ` at ${step}` : ''}: the backfill waits for that run`;
  const at = outcome === 'succeeded' || !step ? '' : ` at ${step}`;
  return `${outcome}${at}${closeTime ? ` (last run ended ${closeTime.toISOString().replace(/\.\d+Z$/, 'Z')})` : ''}`;
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

export type BackfillOutcome =
  | { outcome: 'completed'; result: BackfillResult }
  | { outcome: 'failed' | 'cancelled' | 'terminated' | 'timed out'; error: string; progress?: BackfillProgress };

/** Waits for the backfill to close, passing each answer of its progress query to `onProgress`. */
export async function waitForBackfill(
  backfill: StartedBackfill,
  onProgress: (progress: BackfillProgress) => void,
  pollMs = 1000,
): Promise<BackfillOutcome> {
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
  try {
    const completed = await result;
    onProgress({ ...completed, running: 0, pending: completed.total - completed.succeeded - completed.failed });
    return { outcome: 'completed', result: completed };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const cause = err.cause;
    const outcome =
      cause instanceof CancelledFailure ? 'cancelled' : cause instanceof TerminatedFailure ? 'terminated' : cause instanceof TimeoutFailure ? 'timed out' : 'failed';
    return { outcome, error: cause?.message ?? err.message, progress: latest };
  }
}
