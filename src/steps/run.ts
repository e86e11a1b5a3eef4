import type { ActivityOptions } from '@temporalio/workflow';
import type { PipelineConfig, StepOf } from '../config/schema';
import type { Trigger } from '../shared/pipelineRun';
import type { StepOutput } from '../workflows/lifecycle';
import type { StepKind } from './registry';

// How a kind of step runs inside a pipeline run, in each kind's run.ts: what its activities are told, how its
// progress and its result read. The run (src/workflows/pipeline.ts) takes the pipeline's steps in order and hands
// each to its kind. Workflow-safe: bundled into workflow code.

/** What a step runs with: the run's pipeline and date, and a way to say what it is doing now. */
export interface StepContext {
  pipeline: PipelineConfig;
  date: string;
  trigger: Trigger;
  /** Replaces the run's current details while the step goes. */
  showDetails: (what: string) => void;
  /** The run's steps so far, one line each: what a notification reports. */
  details: () => string[];
}

export interface KindRun<K extends StepKind> {
  /** One line saying what the step is about to do: the activity summary and the run's current details. */
  summary(step: StepOf<K>, context: StepContext): string;
  run(step: StepOf<K>, context: StepContext, options: ActivityOptions): Promise<StepOutput[K]>;
  /** One line saying what the step did. */
  describe(result: StepOutput[K]): string;
}
