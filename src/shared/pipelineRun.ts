import type { PipelineConfig } from '../config/schema';
import type { GlueRunResult, LoadResult, RefreshResult, StepResults, ValidationResult } from './stepResults';
import { stepNames, steps, type StepName } from './steps';

export type Trigger = 'schedule' | 'manual' | 'backfill';

export type ReusableStep = keyof StepResults;

/** The results of the steps a run completed (or reused), in the order the steps run. */
export type CompletedSteps = Partial<StepResults>;

/** A rerun from a step: the steps given here are not run again; their results come from the earlier run. */
export interface ReusedSteps extends CompletedSteps {
  /** The run id of the earlier run that recorded these results. */
  fromRun: string;
}

export interface PipelineRunOptions {
  /** Backfills refresh materialized views once after the last date, not per date. */
  refreshViews?: boolean;
  reuse?: ReusedSteps;
}

/** The details of the `PipelineStepFailed` failure a run ends with: what failed and what had completed before. */
export interface PipelineStepFailedDetails {
  step: StepName;
  completed: CompletedSteps;
}

/** The workflow's input: the pipeline's validated config travels with the run, so a run is reproducible. */
export interface PipelineRunInput {
  pipeline: PipelineConfig;
  date: string;
  trigger: Trigger;
  options?: PipelineRunOptions;
}

export interface PipelineRunResult {
  pipeline: string;
  date: string;
  trigger: Trigger;
  outcome: 'succeeded';
  validate: ValidationResult;
  glue: GlueRunResult;
  load: LoadResult;
  refresh: RefreshResult | 'skipped';
}

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface StepProgress {
  step: StepName;
  title: string;
  status: StepStatus;
  /** One line saying what the step did or why it failed. */
  detail?: string;
}

export interface RunProgress {
  pipeline: string;
  date: string;
  trigger: Trigger;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  steps: StepProgress[];
}

/** Each step's title, for printers. */
export const stepTitles = Object.fromEntries(stepNames.map((step) => [step, steps[step].title])) as Record<StepName, string>;

/** The one line the Temporal UI shows for a run in its list and at the top of the run's page. */
export function runSummary({ pipeline, date, trigger }: PipelineRunInput): string {
  return `${pipeline.name} ${date} (${trigger})`;
}
