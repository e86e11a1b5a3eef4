// What each step returns: produced by the activities, read by the workflows (progress, metrics, reruns) and the
// client (status, printers). Types only, so workflow code and the client can import them without the activities.
// What the activities are given is in activityInputs.ts.

import type { LoadMode } from '../steps/load/settings';
import type { GlueRunCost } from './glueCost';

/** The validate step's check of one file. */
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

/** What was done to the date's processed output before a new Glue run, so the load reads that run's output only. */
export interface ClearedOutput {
  /** The COPY source folder, as an s3:// URL. */
  source: string;
  action: 'deleted' | 'archived';
  objects: number;
  /** With `archived`: the s3:// folder the objects were moved to. */
  archivedTo?: string;
}

/** The pipeline run's Glue run, once started or adopted. */
export interface GlueRunStart {
  jobRunId: string;
  jobName: string;
  /** True when this attempt did not start the run: it resumed an earlier attempt's run or found it by run key. */
  adopted: boolean;
  /**
   * What was done to the date's earlier processed output before the run started; absent when this attempt found
   * the run by its run key (the attempt that started it, and cleared the output, lost its heartbeat).
   */
  previousOutput?: ClearedOutput;
  /** The run's page in the Glue console; absent from starts recorded before it was given. */
  consoleUrl?: string;
}

/** What Glue reports about a run that succeeded. */
export interface GlueRunFigures {
  executionTimeSeconds?: number;
  /** Glue's DPUSeconds where it reports them (FLEX and auto-scaling runs), else execution time × the run's DPUs. */
  dpuSeconds?: number;
  startedOn?: string;
  completedOn?: string;
  /** How Glue ran it: STANDARD or FLEX, its worker type and number, the DPUs allocated (MaxCapacity). */
  executionClass?: string;
  workerType?: string;
  numberOfWorkers?: number;
  maxCapacity?: number;
  /** What Glue bills: `dpuSeconds`, for at least its one-minute minimum. */
  billedDpuSeconds?: number;
  /** The billed DPU-seconds at the pipeline's price per DPU-hour for the execution class (`cost`). */
  estimatedCost?: GlueRunCost;
}

export interface GlueRunResult extends GlueRunStart, GlueRunFigures {
  state: 'SUCCEEDED';
}

/** The crawler step's crawl, once started or adopted. */
export interface CrawlerStart {
  crawlerName: string;
  /** True when the crawler was already running: this step waited for that crawl instead of starting one. */
  adopted: boolean;
}

/** What Glue reports about a crawl that succeeded; the figures are absent when GetCrawlerMetrics could not be read. */
export interface CrawlFigures {
  /** LastCrawl.StartTime, as an ISO timestamp. */
  startedOn?: string;
  durationSeconds?: number;
  tablesCreated?: number;
  tablesUpdated?: number;
  tablesDeleted?: number;
}

export interface CrawlerResult extends CrawlerStart, CrawlFigures {}

/** The date's partition in the Glue Data Catalog. */
export interface PartitionResult {
  database: string;
  table: string;
  /** The partition's values, rendered for the date, one per partition key. */
  values: string[];
  /** The s3:// folder the partition points to, rendered for the date. */
  location: string;
  /** `updated`: the partition existed (a rerun, a retry, or a crawler made it) and now points to `location`. */
  action: 'created' | 'updated';
}

export interface LoadResult {
  statementId: string;
  /** The SQL run, in order, as one transaction. */
  statements: string[];
  durationMs?: number;
  rowsLoaded?: number;
  /** How the rows were loaded; absent from results recorded before load modes, which replaced the date. */
  mode?: LoadMode;
  /** Rows of the table deleted before the INSERT: the date's earlier rows, or (upsert) those sharing a staged row's key; absent for append. */
  rowsDeleted?: number;
}

export interface RefreshResult {
  /** Absent when no views are configured and nothing ran. */
  statementId?: string;
  viewsRefreshed: string[];
}

/** A sql step's statements, run as one transaction, and its check. */
export interface SqlStepResult {
  statementId: string;
  /** The SQL run, in order (the check last), as one transaction. */
  statements: string[];
  /** Per statement of `statements`, the rows it returned or changed, where Redshift reports them. */
  rowsAffected: (number | undefined)[];
  durationMs?: number;
  /** With a check: the rows it found, 0 (more fail the step). */
  checkRows?: number;
}

/** What each kind of step that a rerun can reuse returns. */
export interface StepResults {
  validate: ValidationResult;
  glue: GlueRunResult;
  load: LoadResult;
  sql: SqlStepResult;
  crawler: CrawlerResult;
  partitions: PartitionResult;
  refresh: RefreshResult;
}

/** What any step a rerun can reuse returns. */
export type StepResult = StepResults[keyof StepResults];
