import { loadPipeline } from '../../src/config/load';
import type { PipelineConfig, StepOf } from '../../src/config/schema';
import type { StepKind } from '../../src/steps/registry';
import { stepsOfKind } from '../../src/shared/pipelineSteps';

/** The sample orders pipeline, with fast polls and retries so tests do not wait on real-world intervals. */
export function testPipeline(overrides: Partial<PipelineConfig> = {}): PipelineConfig {
  const sample = loadPipeline('orders');
  return {
    ...sample,
    redshift: { ...sample.redshift!, pollInterval: '50ms' },
    steps: sample.steps.map((step) => ({
      ...step,
      ...(step.kind === 'glue' && { pollInterval: '50ms' }),
      options: { ...step.options, initialInterval: '100ms' },
    })),
    ...overrides,
  };
}

/** The pipeline's (first) step of a kind. */
export function stepOf<K extends StepKind>(pipeline: PipelineConfig, kind: K): StepOf<K> {
  const [step] = stepsOfKind(pipeline, kind);
  if (!step) throw new Error(`pipeline ${pipeline.name} has no ${kind} step`);
  return step;
}

/** The pipeline with its (first) step of a kind changed. */
export function withStep<K extends StepKind>(pipeline: PipelineConfig, kind: K, change: Partial<StepOf<K>>): PipelineConfig {
  const target = stepOf(pipeline, kind);
  return { ...pipeline, steps: pipeline.steps.map((step) => (step === target ? { ...step, ...change } : step)) };
}
