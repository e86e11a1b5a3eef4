import { loadPipeline } from '../../src/config/load';
import type { LegacyPipelineConfig, PipelineConfig, StepKind, StepOf } from '../../src/config/schema';
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

/** The pipeline written the way runs started before step lists carry it: one step of each kind, in its own section. */
export function asLegacy(pipeline: PipelineConfig): LegacyPipelineConfig {
  const { steps, redshift, ...rest } = pipeline;
  if (steps.map((step) => step.kind).join() !== 'validate,glue,load,refresh,notify') {
    throw new Error(`pipeline ${pipeline.name} is not the one shape validate, glue, load, refresh, notify: it has no form from before step lists`);
  }
  const { kind: _validate, id: _validateId, options: validateOptions, contract, batch } = stepOf(pipeline, 'validate');
  const { kind: _glue, id: _glueId, options: glueOptions, output: _output, ...glue } = stepOf(pipeline, 'glue');
  const { table, dateColumn, copy, options: loadOptions } = stepOf(pipeline, 'load');
  const { views, options: refreshOptions } = stepOf(pipeline, 'refresh');
  const { options: notifyOptions } = stepOf(pipeline, 'notify');
  return {
    ...rest,
    contract,
    glue,
    redshift: { ...redshift!, table, dateColumn, copy },
    views,
    steps: { validate: { ...validateOptions, ...(batch && { batch }) }, glue: glueOptions, load: loadOptions, refresh: refreshOptions, notify: notifyOptions },
  };
}
