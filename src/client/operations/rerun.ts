import type { Client } from '@temporalio/client';
import type { PipelineConfig, PipelineStep } from '../../config/schema';
import { stepTitle, type ReusedSteps } from '../../shared/pipelineRun';
import type { GlueRunResult } from '../../shared/stepResults';
import { UsageError } from '../errors';
import { outcomeWords } from '../outcomeWords';
import { runLink, type RunLinks } from './runLink';
import { startOrAttach, type StartedRun } from './startRun';
import { latestRecordedRun, type RecordedRun } from './recordedRun';

export interface RerunRequest {
  pipeline: PipelineConfig;
  date: string;
  /** Run again from the step with this id; the steps before it reuse the latest run's confirmed results. */
  fromStep?: string;
}

export interface StartedRerun {
  run: StartedRun;
  /** The earlier results the rerun reuses instead of running their steps again. */
  reuse?: ReusedSteps;
}

/**
 * Starts the date's run again, as a manual run (or attaches to the one already open). From a step, the steps
 * before it are skipped only if the date's latest run confirmed their results; otherwise nothing starts and a
 * UsageError says which step was not confirmed, why, and where to rerun from instead.
 */
export async function startRerun(client: Client, links: RunLinks, request: RerunRequest): Promise<StartedRerun> {
  const { pipeline, date, fromStep = pipeline.steps[0].id } = request;
  const reused = stepsBefore(pipeline, fromStep);
  const reuse = reused.length ? await confirmedResults(client, links, { ...request, fromStep }, reused) : undefined;
  const run = await startOrAttach(client, { pipeline, date, trigger: 'manual', ...(reuse && { options: { reuse } }) }, links.uiUrl);
  return { run, reuse };
}

/** The steps a rerun from the step `id` reuses: every step before it (the first reuses nothing). */
export function stepsBefore(pipeline: PipelineConfig, id: string): PipelineStep[] {
  const at = pipeline.steps.findIndex((step) => step.id === id);
  if (at < 0) {
    const ids = pipeline.steps.map((step) => step.id).join(', ');
    throw new UsageError(`pipeline ${pipeline.name} has no step ${JSON.stringify(id)}: --from-step takes one of its step ids (${ids})`);
  }
  // notify, the only step that is not reusable, is the last, so it is never before another.
  return pipeline.steps.slice(0, at);
}

async function confirmedResults(client: Client, links: RunLinks, request: Required<RerunRequest>, steps: PipelineStep[]): Promise<ReusedSteps> {
  const { pipeline, date, fromStep } = request;
  const cannot = `cannot rerun ${pipeline.name} ${date} from ${fromStep}`;
  const first = pipeline.steps[0].id;
  const rerunFrom = (step: string) => `etl rerun --pipeline ${pipeline.name} --date ${date}${step === first ? '' : ` --from-step ${step}`}`;
  const run = await latestRecordedRun(client, pipeline.name, date);
  if (!run) throw new UsageError(`${cannot}: the date has never run, so there are no results to reuse; run it whole with \`${rerunFrom(first)}\``);
  const link = runLink(links.uiUrl, links.namespace, run);
  const seeRun = link ? ` Temporal UI: ${link}` : '';
  if (run.outcome === 'running') {
    throw new UsageError(`${cannot}: its run ${run.runId} is still running; wait for it to finish (or cancel it), then rerun.${seeRun}`);
  }
  for (const step of steps) {
    const reason = unconfirmedReason(pipeline, run, step);
    if (reason) {
      throw new UsageError(
        `${cannot}: its latest run ${run.runId} did not confirm ${stepTitle(step)} (${step.id}): ${reason}. ` +
          `Rerun from ${step.id} instead: \`${rerunFrom(step.id)}\`.${seeRun}`,
      );
    }
  }
  return { fromRun: run.runId, steps: Object.fromEntries(steps.map((step) => [step.id, run.completed[step.id]])) };
}

/**
 * Why the run did not confirm the step's result, or undefined when it did: a step is confirmed when the run
 * recorded its result, and for Glue only when that run SUCCEEDED.
 */
function unconfirmedReason(pipeline: PipelineConfig, run: RecordedRun, step: PipelineStep): string | undefined {
  const glue = step.kind === 'glue' ? (run.completed[step.id] as GlueRunResult | undefined) : undefined;
  // Typed as SUCCEEDED, but a run recorded by older code may hold any state.
  if (glue && glue.state !== 'SUCCEEDED') return `its Glue run ${glue.jobRunId} ended ${String(glue.state)}`;
  if (run.completed[step.id]) return undefined;
  const position = (id: string) => pipeline.steps.findIndex((candidate) => candidate.id === id);
  if (run.outcome === 'failed' && run.failedStep && position(run.failedStep) <= position(step.id)) {
    return `the run failed at ${run.failedStep}`;
  }
  if (run.outcome === 'succeeded' || run.outcome === 'failed') return 'the run recorded no result for it';
  return `the run was ${outcomeWords[run.outcome]}, and such a run records no step results`;
}
