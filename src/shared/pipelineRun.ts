import type { LegacyPipelineConfig, PipelineConfig, PipelineStep } from '../config/schema';
import type { StepResult } from './stepResults';
import { steps, type StepKind } from '../steps/registry';

export type Trigger = 'schedule' | 'manual' | 'backfill';

/** The results of the steps a run completed (or reused), by step id, in the order the steps run. */
export type CompletedSteps = Record<string, StepResult>;

/** A rerun from a step: the steps given here are not run again; their results come from the earlier run. */
export interface ReusedSteps {
  /** The run id of the earlier run that recorded these results. */
  fromRun: string;
  /** The reused results by step id. Reruns started before step lists gave them beside fromRun instead. */
  steps?: CompletedSteps;
}

export interface PipelineRunOptions {
  /** Backfills refresh materialized views once after the last date, not per date. */
  refreshViews?: boolean;
  /** Which of its notifications the run sends (both unless said): a backfill's dates leave them to its summary. */
  notify?: { success: boolean; failure: boolean };
  reuse?: ReusedSteps;
}

/** The details of the `PipelineStepFailed` failure a run ends with: what failed and what had completed before. */
export interface PipelineStepFailedDetails {
  /** The failed step's id. */
  step: string;
  completed: CompletedSteps;
}

/** The workflow's input: the pipeline's validated config travels with the run, so a run is reproducible. */
export interface PipelineRunInput {
  /** The loader's config; runs started before step lists carry it in its earlier form. */
  pipeline: PipelineConfig | LegacyPipelineConfig;
  date: string;
  trigger: Trigger;
  options?: PipelineRunOptions;
}

/** The input a client starts a run with: the config as the loader returns it. */
export type NewRunInput = PipelineRunInput & { pipeline: PipelineConfig };

export interface PipelineRunResult {
  pipelineName: string;
  date: string;
  trigger: Trigger;
  outcome: 'succeeded';
  /** What each step did, by step id (notify aside); a step the run left out, such as a backfill date's refresh, is 'skipped'. */
  steps: Record<string, StepResult | 'skipped'>;
}

/** The results of the steps that ran (or were reused), leaving out those the run skipped: what a rerun may reuse. */
export function completedSteps(steps: Partial<Record<string, StepResult | 'skipped'>>): CompletedSteps {
  return Object.fromEntries(Object.entries(steps).filter((entry): entry is [string, StepResult] => entry[1] !== undefined && entry[1] !== 'skipped'));
}

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface StepProgress {
  /** The step's id. */
  step: string;
  kind: StepKind;
  title: string;
  status: StepStatus;
  /** One line saying what the step did or why it failed. */
  detail?: string;
}

export interface RunProgress {
  pipelineName: string;
  date: string;
  trigger: Trigger;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  steps: StepProgress[];
}

/** How progress, notifications and the CLI name a step: its kind's title, and its id when that is not the kind. */
export function stepTitle(step: Pick<PipelineStep, 'id' | 'kind'>): string {
  const { title } = steps[step.kind];
  return step.id === step.kind ? title : `${title} (${step.id})`;
}

/** The one line the Temporal UI shows for a run in its list and at the top of the run's page. */
export function runSummary({ pipeline, date, trigger }: PipelineRunInput): string {
  return `${pipeline.name} ${date} (${trigger})`;
}
