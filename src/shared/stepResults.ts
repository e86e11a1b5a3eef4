// What each step returns: produced by the activities, read by the workflows (progress, metrics, reruns) and the
// client (status, printers). Types only, so workflow code and the client can import them without the activities.
// What the activities are given is in activityInputs.ts.

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
  /** The DPU-seconds at the pipeline's price per DPU-hour for the execution class (`cost`). */
  estimatedCost?: GlueRunCost;
}

export interface GlueRunResult extends GlueRunStart, GlueRunFigures {
  state: 'SUCCEEDED';
}

export interface LoadResult {
  statementId: string;
  /** The SQL run, in order, as one transaction. */
  statements: string[];
  durationMs?: number;
  rowsLoaded?: number;
}

export interface RefreshResult {
  /** Absent when no views are configured and nothing ran. */
  statementId?: string;
  viewsRefreshed: string[];
}

/** What each step that a rerun can reuse returns. */
export interface StepResults {
  validate: ValidationResult;
  glue: GlueRunResult;
  load: LoadResult;
  refresh: RefreshResult;
}
