import {
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import type { PipelineStep } from '../config/schema';
import { errorTypes } from '../shared/errorTypes';
import type { PipelineRunInput, PipelineRunResult, PipelineStepFailedDetails, ReusedSteps, RunProgress, StepProgress } from '../shared/pipelineRun';
import { completedSteps, stepTitle } from '../shared/pipelineRun';
import { pipelineSteps } from '../shared/pipelineSteps';
import { searchAttributes } from '../shared/searchAttributes';
import { isReusable, steps } from '../steps/registry';
import type { StepResult } from '../shared/stepResults';
import { observeRun, observeStep } from './lifecycle';
import { rejectMalformedInput } from './runInput';
import { stepOptions } from './stepOptions';
import { stepRuns } from '../steps/runs';
import type { StepContext } from '../steps/run';

export const progressQuery = defineQuery<RunProgress>('progress');

/**
 * One pipeline's run for one date: the steps of its list in order, by default ValidateFiles -> RunGlueJob ->
 * LoadToRedshift -> RefreshViews -> SendNotification. Any failure sends exactly one failure notification, then
 * fails naming the step and carrying the results of the steps that completed, so a rerun can start from the
 * failed step.
 */
export async function pipelineRun(input: PipelineRunInput): Promise<PipelineRunResult> {
  return observeRun(() => runPipeline(input));
}

/**
 * The same run under its former type, named for a cadence it does not have; registered while runs of it may be
 * open (and started by workflows replaying histories from before pipelineRun).
 */
export async function dailyPipeline(input: PipelineRunInput): Promise<PipelineRunResult> {
  return pipelineRun(input);
}

/** The type a workflow starts a date's run as; runs recorded when that was dailyPipeline replay as they ran. */
export function pipelineRunChild(): typeof pipelineRun {
  return patched('date-runs-as-pipelineRun') ? pipelineRun : dailyPipeline;
}

async function runPipeline(input: PipelineRunInput): Promise<PipelineRunResult> {
  // The progress query is answered from the first workflow task on, also while the input is being checked, so
  // it reads the input as possibly malformed.
  const given: Partial<PipelineRunInput> = typeof input === 'object' && input !== null ? input : {};
  const progress: RunProgress = {
    pipelineName: typeof given.pipeline?.name === 'string' ? given.pipeline.name : '',
    date: given.date as string,
    trigger: given.trigger as RunProgress['trigger'],
    status: 'running',
    steps: stepListOf(given).map((step) => ({ step: step.id, kind: step.kind, title: stepTitle(step), status: 'pending' })),
  };
  setHandler(progressQuery, () => progress);
  // Runs started before the input was checked replay as they ran.
  if (patched('check-run-input')) await rejectMalformedInput(input);
  const { date, trigger } = input;
  const pipeline = { ...input.pipeline, steps: pipelineSteps(input.pipeline) };
  const refreshViews = input.options?.refreshViews !== false;
  const reuse = input.options?.reuse;
  const notify = input.options?.notify ?? { success: true, failure: true };
  const results: PipelineRunResult['steps'] = {};
  upsertSearchAttributes([
    { key: searchAttributes.pipeline, value: pipeline.name },
    { key: searchAttributes.date, value: new Date(`${date}T00:00:00Z`) },
    { key: searchAttributes.trigger, value: trigger },
    { key: searchAttributes.outcome, value: 'running' },
  ]);
  const progressOf = (step: PipelineStep) => progress.steps.find((entry) => entry.step === step.id)!;

  /** Runs one step, the one place its lifecycle is followed: progress, current details, search attributes, logs and metrics. */
  async function runStep(step: PipelineStep): Promise<unknown> {
    const entry = progressOf(step);
    entry.status = 'running';
    const context: StepContext = {
      pipeline,
      date,
      trigger,
      showDetails: (what) => setCurrentDetails(`**${entry.title}** for ${pipeline.name} ${date}: ${what}`),
      details: () => progress.steps.filter((s) => s.detail).map((s) => `${s.title}: ${s.detail}`),
    };
    const kind = kindOf(step);
    const typed = step as never;
    const summary = kind.summary(typed, context);
    context.showDetails(summary);
    upsertSearchAttributes([{ key: searchAttributes.step, value: step.id }]);
    try {
      const result = await observeStep(typed, () => kind.run(typed, context, stepOptions(step, summary)));
      entry.status = 'succeeded';
      entry.detail = kind.describe(result as never);
      return result;
    } catch (err) {
      entry.status = isCancellation(err) ? 'cancelled' : 'failed';
      entry.detail = errorMessage(err);
      throw new StepFailed(step, err);
    }
  }

  try {
    for (const step of pipeline.steps) {
      if (step.kind === 'refresh' && !refreshViews) {
        results[step.id] = 'skipped';
        Object.assign(progressOf(step), { status: 'skipped', detail: 'views are refreshed once at the end of the backfill' });
        continue;
      }
      if (step.kind === 'notify' && !notify.success) {
        Object.assign(progressOf(step), { status: 'skipped', detail: 'the backfill sends one summary notification' });
        continue;
      }
      const reused = isReusable(step.kind) ? reusedResult(reuse, step.id) : undefined;
      if (reused) {
        Object.assign(progressOf(step), { status: 'skipped', detail: `reused from run ${reuse!.fromRun}: ${kindOf(step).describe(reused as never)}` });
      }
      const result = reused ?? (await runStep(step));
      if (isReusable(step.kind)) results[step.id] = result as StepResult;
    }
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
    const failure = err;
    if (isCancellation(failure.cause)) {
      progress.status = 'cancelled';
      upsertSearchAttributes([{ key: searchAttributes.outcome, value: 'cancelled' }]);
      throw failure.cause;
    }
    progress.status = 'failed';
    upsertSearchAttributes([{ key: searchAttributes.outcome, value: 'failed' }]);
    if (notify.failure) await sendFailureNotification(input, pipeline.steps, failure, progress);
    else Object.assign(progress.steps.at(-1)!, { status: 'skipped', detail: "the backfill's summary notification reports the failure" });
    throw ApplicationFailure.nonRetryable(
      `${steps[failure.step.kind].title} (${failure.step.id}) failed for ${pipeline.name} ${date}: ${errorMessage(failure.cause)}`,
      errorTypes.PipelineStepFailed,
      { step: failure.step.id, completed: completedSteps(results) } satisfies PipelineStepFailedDetails,
    );
  }
  progress.status = 'succeeded';
  upsertSearchAttributes([{ key: searchAttributes.outcome, value: 'succeeded' }]);
  setCurrentDetails(`**Succeeded** for ${pipeline.name} ${date}`);
  return { pipelineName: pipeline.name, date, trigger, outcome: 'succeeded', steps: results };
}

/** How a step's kind runs; typed per kind in stepRuns, here for any step of its kind. */
function kindOf(step: PipelineStep): (typeof stepRuns)['validate'] {
  return stepRuns[step.kind] as unknown as (typeof stepRuns)['validate'];
}

/** The steps of a possibly malformed input, for the progress shown while it is checked. */
function stepListOf(given: Partial<PipelineRunInput>): PipelineStep[] {
  try {
    return given.pipeline ? pipelineSteps(given.pipeline) : [];
  } catch {
    return [];
  }
}

/** The earlier run's result for a step a rerun reuses; reruns started before step lists gave them beside fromRun. */
function reusedResult(reuse: ReusedSteps | undefined, id: string): StepResult | undefined {
  if (!reuse) return undefined;
  return reuse.steps ? reuse.steps[id] : (reuse as unknown as Record<string, StepResult | undefined>)[id];
}

class StepFailed extends Error {
  constructor(
    readonly step: PipelineStep,
    readonly cause: unknown,
  ) {
    super(errorMessage(cause));
  }
}

/** The one failure alert. A failed success notification is itself the failure; it is not sent twice. */
async function sendFailureNotification(input: PipelineRunInput, stepList: PipelineStep[], failure: StepFailed, progress: RunProgress) {
  const { pipeline, date, trigger } = input;
  const failed = failure.step;
  setCurrentDetails(`**Failed** at ${stepTitle(failed)}: ${errorMessage(failure.cause)}`);
  const notifyStep = stepList.find((step) => step.kind === 'notify')!;
  const notify = proxyActivities<PipelineActivities>(stepOptions(notifyStep, `publish failure to ${pipeline.notifications.failureTopicArn}`));
  const alert = {
    pipelineName: pipeline.name,
    date,
    trigger,
    outcome: 'failed' as const,
    topicArn: pipeline.notifications.failureTopicArn,
    failedStep: failed.id,
    // A rerun from the failed step reuses the steps before it; from the first, it is the whole run again.
    rerun: failed.id === stepList[0].id ? {} : { fromStep: failed.id },
    error: errorMessage(failure.cause),
    // The failed step's detail is the error itself, already in the message.
    details: progress.steps.filter((s: StepProgress) => s.detail && s.step !== failed.id).map((s) => `${s.title}: ${s.status}, ${s.detail}`),
  };
  try {
    await CancellationScope.nonCancellable(() => observeStep(notifyStep, () => notify.sendNotification(alert)));
    if (failed.kind !== 'notify')
      Object.assign(
        progress.steps.find((s) => s.step === notifyStep.id)!,
        { status: 'succeeded', detail: 'failure notification sent' },
      );
  } catch (err) {
    log.error('Could not send the failure notification', { error: errorMessage(err) });
  }
}

/** The innermost message: Temporal wraps activity errors in ActivityFailure, whose cause says what happened. */
function errorMessage(err: unknown): string {
  let current = err as { message?: string; cause?: unknown } | undefined;
  while (current?.cause && (current as { name?: string }).name === 'ActivityFailure') current = current.cause;
  return current?.message ?? String(err);
}
