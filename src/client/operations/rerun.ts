import type { Client } from '@temporalio/client';
import { stepNames, type PipelineConfig, type StepName } from '../../config/schema';
import { stepTitles, type ReusableStep, type ReusedSteps } from '../../shared/pipelineRun';
import { UsageError } from '../errors';
import { outcomeWords } from '../outcomeWords';
import { runLink, type RunLinks } from './runLink';
import { startOrAttach, type StartedRun } from './startRun';
import { latestRecordedRun, type RecordedRun } from './recordedRun';

export interface RerunRequest {
  pipeline: PipelineConfig;
  date: string;
  /** Run again from this step; the steps before it reuse the latest run's confirmed results. */
  fromStep?: StepName;
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
  const { pipeline, date, fromStep = 'validate' } = request;
  const reused = stepsBefore(fromStep);
  const reuse = reused.length ? await confirmedResults(client, links, request, reused) : undefined;
  const run = await startOrAttach(client, { pipeline, date, trigger: 'manual', ...(reuse && { options: { reuse } }) }, links.uiUrl);
  return { run, reuse };
}

/** The steps a rerun from `step` reuses: every step before it ('validate' reuses nothing). */
function stepsBefore(step: StepName): ReusableStep[] {
  // notify, the only step that is not reusable, is the last, so it is never before another.
  return stepNames.slice(0, stepNames.indexOf(step)) as ReusableStep[];
}

async function confirmedResults(client: Client, links: RunLinks, request: RerunRequest, steps: ReusableStep[]): Promise<ReusedSteps> {
  const { pipeline, date, fromStep } = request;
  const cannot = `cannot rerun ${pipeline.name} ${date} from ${fromStep}`;
  const rerunFrom = (step: StepName) => `etl rerun --pipeline ${pipeline.name} --date ${date}${step === 'validate' ? '' : ` --from-step ${step}`}`;
  const run = await latestRecordedRun(client, pipeline.name, date);
  if (!run) throw new UsageError(`${cannot}: the date has never run, so there are no results to reuse; run it whole with \`${rerunFrom('validate')}\``);
  const link = runLink(links.uiUrl, links.namespace, run);
  const seeRun = link ? ` Temporal UI: ${link}` : '';
  if (run.outcome === 'running') {
    throw new UsageError(`${cannot}: its run ${run.runId} is still running; wait for it to finish (or cancel it), then rerun.${seeRun}`);
  }
  for (const step of steps) {
    const reason = unconfirmedReason(run, step);
    if (reason) {
      throw new UsageError(
        `${cannot}: its latest run ${run.runId} did not confirm ${stepTitles[step]} (${step}): ${reason}. ` +
          `Rerun from ${step} instead: \`${rerunFrom(step)}\`.${seeRun}`,
      );
    }
  }
  return { fromRun: run.runId, ...Object.fromEntries(steps.map((step) => [step, run.completed[step]])) };
}

/**
 * Why the run did not confirm the step's result, or undefined when it did: a step is confirmed when the run
 * recorded its result, and for Glue only when that run SUCCEEDED.
 */
function unconfirmedReason(run: RecordedRun, step: ReusableStep): string | undefined {
  const glue = step === 'glue' ? run.completed.glue : undefined;
  // Typed as SUCCEEDED, but a run recorded by older code may hold any state.
  if (glue && glue.state !== 'SUCCEEDED') return `its Glue run ${glue.jobRunId} ended ${String(glue.state)}`;
  if (run.completed[step]) return undefined;
  if (run.outcome === 'failed' && run.failedStep && stepNames.indexOf(run.failedStep) <= stepNames.indexOf(step)) {
    return `the run failed at ${run.failedStep}`;
  }
  if (run.outcome === 'succeeded' || run.outcome === 'failed') return 'the run recorded no result for it';
  return `the run was ${outcomeWords[run.outcome]}, and such a run records no step results`;
}
