import { renderTemplate } from './dates';
import type { LegacyPipelineConfig, ParsedStep, PipelineConfig, PipelineStep, S3Settings, StepOf } from '../config/schema';

// A pipeline's steps as a list, whichever way its config says them: the config loader turns a file written before
// pipelines had step lists into one, and so does the workflow with the config a run started before carries.
// Workflow-safe: no zod, types only from the config.

/** The list's steps with their ids, the load's COPY source and the Glue output defaulted, and notify last. */
export function withStepDefaults<P extends { s3: S3Settings; steps: ParsedStep[] }>(pipeline: P): Omit<P, 'steps'> & { steps: PipelineStep[] } {
  const listed: PipelineStep[] = pipeline.steps.map((step) => {
    const id = step.id ?? step.kind;
    return step.kind === 'load' ? { ...step, id, copy: { ...step.copy, source: step.copy.source ?? defaultCopySource(pipeline.s3) } } : { ...step, id };
  });
  // A Glue step clears, before a new run, the folder it writes a later load's input to: a COPY source one of its
  // arguments names (or a folder holding it). A step that names none clears nothing.
  const steps = listed.map((step, index) => {
    if (step.kind !== 'glue' || step.output) return step;
    const sources = listed.slice(index + 1).flatMap((later) => (later.kind === 'load' ? [later.copy.source] : []));
    const output = sources.find((source) => Object.values(step.arguments).some((value) => holds(value, source)));
    return output ? { ...step, output } : step;
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
    // The one Glue job wrote the one load's COPY source, which it cleared before each new run.
    { kind: 'glue', options: overrides.glue ?? {}, ...glue, output: copy.source ?? defaultCopySource(rest.s3) },
    // A config recorded before load modes replaced the date's rows.
    { kind: 'load', options: overrides.load ?? {}, table, dateColumn, copy, mode: mode ?? 'replace-date', ...(keyColumns && { keyColumns }) },
    { kind: 'refresh', options: overrides.refresh ?? {}, views: views ?? [] },
    { kind: 'notify', options: overrides.notify ?? {} },
  ];
  return withStepDefaults({ ...rest, redshift: connection, steps });
}

type ParsedCopy = Extract<ParsedStep, { kind: 'load' }>['copy'];

/** A load's COPY source unless it names one: the date's folder under the processed prefix. */
function defaultCopySource(s3: S3Settings): string {
  return `s3://${s3.bucket}/${s3.prefixes.processed}{{date}}/`;
}

/** Whether the s3:// folder `folder` is `inner` or holds it, whatever the date (both are templates). */
export function holds(folder: string, inner: string): boolean {
  if (!folder.startsWith('s3://') || !folder.endsWith('/')) return false;
  const rendered = (text: string) => renderTemplate(text, { date: '2000-01-01' });
  return rendered(inner).startsWith(rendered(folder));
}

/** The steps a run carries out: its config's list, or the one shape of a config recorded before lists. */
export function pipelineSteps(pipeline: Pick<PipelineConfig, 'steps'> | LegacyPipelineConfig): PipelineStep[] {
  return Array.isArray(pipeline.steps) ? pipeline.steps : legacyAsList(pipeline as LegacyPipelineConfig).steps;
}

/** The pipeline's steps of one kind, in the order they run; a legacy config's as its list. */
export function stepsOfKind<K extends PipelineStep['kind']>(pipeline: Pick<PipelineConfig, 'steps'> | LegacyPipelineConfig, kind: K): StepOf<K>[] {
  return pipelineSteps(pipeline).filter((step): step is PipelineStep & StepOf<K> => step.kind === kind);
}
