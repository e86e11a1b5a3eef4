import type { LegacyPipelineConfig, PipelineConfig } from '../config/schema';

/** A date of a backfill whose run did not succeed. */
export interface DateFailure {
  date: string;
  /** The id of the step the run failed at; absent when it ended otherwise (cancelled, terminated, timed out). */
  step?: string;
  error: string;
}

/** What a backfill has finished so far. Carried across continue-as-new, so it covers the whole range. */
export interface BackfillTally {
  /** Dates in the backfill. */
  total: number;
  succeeded: number;
  failed: number;
  /** Dates that already had a run open: the backfill waited for that run instead of starting another. */
  attached: number;
  /** Oldest date first as they finished. */
  failures: DateFailure[];
}

/** A date whose run was open when the backfill continued as new: the next workflow run waits for it. */
export interface RunningDate {
  date: string;
  workflowId: string;
  /** The run the backfill started; absent for a run it attached to (the date's latest run is watched). */
  runId?: string;
  /** The run was already open when the backfill reached the date: it belongs to whoever started it. */
  attached: boolean;
}

/**
 * The backfill workflow's input: the dates still to start, the runs still open and the tally of the dates
 * finished before a continue-as-new.
 */
export interface BackfillInput {
  /** The loader's config; backfills started before step lists carry it in its earlier form. */
  pipeline: PipelineConfig | LegacyPipelineConfig;
  dates: string[];
  /** Dates run at once, at most; the workflow lowers it to the Glue job's MaxConcurrentRuns. */
  concurrency: number;
  carried?: BackfillTally;
  running?: RunningDate[];
  /** The range's last date, carried once every date has started: the one view refresh is named after it. */
  lastDate?: string;
  /** The range's first date, carried across continue-as-new for the summary notification. */
  firstDate?: string;
}

/** The answer to the `backfillProgress` query. */
export interface BackfillProgress extends BackfillTally {
  running: number;
  pending: number;
  /** Dates run at once after the Glue job's cap; unknown until the workflow has read the job. */
  concurrency?: number;
}

export type ViewsRefresh = { outcome: 'succeeded'; viewsRefreshed: string[] } | { outcome: 'failed'; error: string } | { outcome: 'skipped'; reason: string };

export interface BackfillResult extends BackfillTally {
  /** Dates run at once, after the Glue job's cap. */
  concurrency: number;
  /** Materialized views are refreshed once, after the last date, not per date. */
  refresh: ViewsRefresh;
}

/** How a pipeline run ended, from the point of view of a backfill waiting for it. */
export type PipelineRunEnd = { outcome: 'succeeded' } | ({ outcome: 'failed' } & Omit<DateFailure, 'date'>);

/** A backfill succeeded when every date and the view refresh did. */
export function backfillSucceeded({ tally, refresh }: { tally: BackfillTally; refresh: ViewsRefresh }): boolean {
  return tally.failed === 0 && refresh.outcome !== 'failed';
}
