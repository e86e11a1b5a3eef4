import type { LegacyPipelineConfig, ParsedStep, PipelineConfig, PipelineStep, S3Settings, StepOf } from '../config/schema';

// A pipeline's steps as a list, whichever way its config says them: the config loader turns a file written before
// pipelines had step lists into one, and so does the workflow with the config a run started before carries.
// Workflow-safe: no zod, types only from the config.

/** The list's steps with their ids, the load's COPY source and the Glue output defaulted, and notify last. */
export function withStepDefaults<P extends { s3: S3Settings; steps: ParsedStep[] }>(pipeline: P): Omit<P, 'steps'> & { steps: PipelineStep[] } {
  const { s3 } = pipeline;
  const defaultSource = `s3://${s3.bucket}/${s3.prefixes.processed}{{date}}/`;
  const listed: PipelineStep[] = pipeline.steps.map((step) => {
    const id = step.id ?? step.kind;
    return step.kind === 'load' ? { ...step, id, copy: { ...step.copy, source: step.copy.source ?? defaultSource } } : { ...step, id };
  });
  // A load reads what the Glue step nearest before it wrote: that step's output is, by default, the COPY source.
  const steps = listed.map((step, index) => {
    if (step.kind !== 'glue' || step.output) return step;
    const next = listed.slice(index + 1).find((later) => later.kind === 'load' || later.kind === 'glue');
    return next?.kind === 'load' ? { ...step, output: next.copy.source } : step;
  });
  // A notify written elsewhere than last is refused by the config, not joined by a second one.
  if (!steps.some((step) => step.kind === 'notify')) steps.push({ kind: 'notify', id: 'notify', options: {} });
  return { ...pipeline, steps };
}

/** A legacy config's one shape as a list: the steps it always ran, with its step overrides as their options. */
export function legacyAsList(
  legacy: Omit<LegacyPipelineConfig, 'redshift'> & { redshift: Omit<LegacyPipelineConfig['redshift'], 'copy'> & { copy: ParsedCopy } },
): PipelineConfig {
  const { contract, glue, redshift, views, steps: overrides, ...rest } = legacy;
  const { batch, ...validateOptions } = overrides.validate ?? {};
  const { table, dateColumn, copy, mode, keyColumns, ...connection } = redshift;
  const steps: ParsedStep[] = [
    { kind: 'validate', options: validateOptions, contract, ...(batch && { batch }) },
    { kind: 'glue', options: overrides.glue ?? {}, ...glue },
    // A config recorded before load modes replaced the date's rows.
    { kind: 'load', options: overrides.load ?? {}, table, dateColumn, copy, mode: mode ?? 'replace-date', ...(keyColumns && { keyColumns }) },
    { kind: 'refresh', options: overrides.refresh ?? {}, views: views ?? [] },
    { kind: 'notify', options: overrides.notify ?? {} },
  ];
  return withStepDefaults({ ...rest, redshift: connection, steps });
}

type ParsedCopy = Extract<ParsedStep, { kind: 'load' }>['copy'];

/** The steps a run carries out: its config's list, or the one shape of a config recorded before lists. */
export function pipelineSteps(pipeline: PipelineConfig | LegacyPipelineConfig): PipelineStep[] {
  return Array.isArray(pipeline.steps) ? pipeline.steps : legacyAsList(pipeline as LegacyPipelineConfig).steps;
}

/** The pipeline's steps of one kind, in the order they run. */
export function stepsOfKind<K extends PipelineStep['kind']>(pipeline: { steps: PipelineStep[] }, kind: K): StepOf<K>[] {
  return pipeline.steps.filter((step): step is PipelineStep & StepOf<K> => step.kind === kind);
}
