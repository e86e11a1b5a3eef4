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
  workflowInfo,
} from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import { dateFilesInput, fileCheckInput, glueStartInput, loadInput, refreshInput } from '../shared/activityInputs';
import { errorTypes } from '../shared/errorTypes';
import { glueRunKey } from '../shared/ids';
import type { CompletedSteps, PipelineRunInput, PipelineRunResult, PipelineStepFailedDetails, ReusableStep, RunProgress, StepProgress } from '../shared/pipelineRun';
import { searchAttributes } from '../shared/searchAttributes';
import type { StepResults } from '../shared/stepResults';
import { stepNames, steps, type StepName } from '../shared/steps';
import { observeRun, observeStep, type StepOutput } from './lifecycle';
import { rejectMalformedInput } from './runInput';
import { stepOptions } from './stepOptions';
import { describeGlue, describeLoad, describeRefresh, describeValidation } from './stepDetails';
import { validateStep } from './validateStep';
import { glueStep, loadStep, refreshStep } from './waitingSteps';

export const progressQuery = defineQuery<RunProgress>('progress');

/** Carries out a step with its activity options; `showDetails` replaces the run's current details while it goes. */
type StepRun<T> = (options: ReturnType<typeof stepOptions>, showDetails: (what: string) => void) => Promise<T>;

/**
 * One pipeline's run for one date: ValidateFiles -> RunGlueJob -> LoadToRedshift -> RefreshViews ->
 * SendNotification. Any failure sends exactly one failure notification, then fails naming the step and
 * carrying the results of the steps that completed, so a rerun can start from the failed step.
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
    pipeline: String(given.pipeline?.name),
    date: given.date as string,
    trigger: given.trigger as RunProgress['trigger'],
    status: 'running',
    steps: stepNames.map((step) => ({ step, title: steps[step].title, status: 'pending' })),
  };
  setHandler(progressQuery, () => progress);
  // Runs started before the input was checked replay as they ran.
  if (patched('check-run-input')) await rejectMalformedInput(input);
  const { pipeline, date, trigger } = input;
  const refreshViews = input.options?.refreshViews !== false;
  const reuse = input.options?.reuse;
  const completed: CompletedSteps = {};
  upsertSearchAttributes([
    { key: searchAttributes.pipeline, value: pipeline.name },
    { key: searchAttributes.date, value: new Date(`${date}T00:00:00Z`) },
    { key: searchAttributes.trigger, value: trigger },
    { key: searchAttributes.outcome, value: 'running' },
  ]);

  /** Runs one step, the one place its lifecycle is followed: progress, current details, search attributes, logs and metrics. */
  async function step<K extends StepName>(
    name: K,
    summary: string,
    run: StepRun<StepOutput[K]>,
    describe: (result: StepOutput[K]) => string,
  ): Promise<StepOutput[K]> {
    const entry = progress.steps.find((s) => s.step === name)!;
    entry.status = 'running';
    const showDetails = (what: string) => setCurrentDetails(`**${entry.title}** for ${pipeline.name} ${date}: ${what}`);
    showDetails(summary);
    upsertSearchAttributes([{ key: searchAttributes.step, value: name }]);
    try {
      const result = await observeStep(name, () => run(stepOptions(pipeline, name, summary), showDetails));
      entry.status = 'succeeded';
      entry.detail = describe(result);
      return result;
    } catch (err) {
      entry.status = isCancellation(err) ? 'cancelled' : 'failed';
      entry.detail = errorMessage(err);
      throw new StepFailed(name, err);
    }
  }

  function skipStep(name: StepName, detail: string) {
    Object.assign(
      progress.steps.find((s) => s.step === name)!,
      { status: 'skipped', detail },
    );
  }

  /** A step a rerun may reuse: a result reused from the earlier run is shown as skipped and not run again. */
  async function reusableStep<K extends ReusableStep>(
    name: K,
    summary: string,
    run: StepRun<StepResults[K]>,
    describe: (result: StepResults[K]) => string,
  ): Promise<StepResults[K]> {
    const reused: CompletedSteps[K] = reuse?.[name];
    if (reuse && reused) skipStep(name, `reused from run ${reuse.fromRun}: ${describe(reused)}`);
    const result = reused ?? (await step(name, summary, run, describe));
    completed[name] = result;
    return result;
  }

  const acts = <K extends keyof PipelineActivities>(name: K, options: ReturnType<typeof stepOptions>) => proxyActivities<PipelineActivities>(options)[name];

  const { s3, glue } = pipeline;
  let result: PipelineRunResult;
  try {
    const validation = await reusableStep(
      'validate',
      `check s3://${s3.bucket}/${s3.prefixes.raw}${date}/ against the file contract`,
      // Runs that validated a date in one activity before the step fanned out over workers replay as they ran.
      (o, showDetails) => (patched('validate-fans-out') ? validateStep(pipeline, date, showDetails) : acts('validateFiles', o)(fileCheckInput(pipeline, date))),
      describeValidation,
    );
    const { workflowId, runId } = workflowInfo();
    const runKey = glueRunKey(workflowId, runId);
    const glueSummary = `run Glue job ${glue.jobName} for ${date}`;
    // Runs that scheduled a step as one long polling activity before waiting held no slot replay as they ran.
    const glueRun = await reusableStep(
      'glue',
      glueSummary,
      (o, waiting) =>
        patched('glue-waits-without-slot')
          ? glueStep(pipeline, date, runKey, glueSummary, waiting)
          : acts('runGlueJob', o)({ ...glueStartInput(pipeline, date, runKey), pollInterval: glue.pollInterval }),
      describeGlue,
    );
    const loadSummary = `replace ${pipeline.redshift.table} rows for ${date} in one transaction, through a checked staging table`;
    const load = await reusableStep(
      'load',
      loadSummary,
      async (o, waiting) => {
        // Files landing after validation are not in the Glue output: loading it would call the date complete.
        if (patched('files-landed-before-load')) await acts('confirmNoFilesLanded', o)(dateFilesInput(pipeline, date));
        return patched('load-waits-without-slot') ? loadStep({ pipeline, date }, loadSummary, waiting) : acts('loadToRedshift', o)(loadInput(pipeline, date));
      },
      describeLoad,
    );
    let refresh: PipelineRunResult['refresh'] = 'skipped';
    if (refreshViews) {
      const refreshSummary = `refresh ${pipeline.views.length} materialized view(s)`;
      refresh = await reusableStep(
        'refresh',
        refreshSummary,
        (o, waiting) =>
          patched('refresh-waits-without-slot') ? refreshStep({ pipeline, date }, refreshSummary, waiting) : acts('refreshViews', o)(refreshInput(pipeline, date)),
        describeRefresh,
      );
    } else {
      skipStep('refresh', 'views are refreshed once at the end of the backfill');
    }
    result = { pipeline: pipeline.name, date, trigger, outcome: 'succeeded', validate: validation, glue: glueRun, load, refresh };
    await step(
      'notify',
      `publish success to ${pipeline.notifications.successTopicArn}`,
      (o) =>
        acts(
          'sendNotification',
          o,
        )({
          pipelineName: pipeline.name,
          date,
          trigger,
          outcome: 'succeeded',
          topicArn: pipeline.notifications.successTopicArn,
          details: progress.steps.filter((s) => s.detail).map((s) => `${s.title}: ${s.detail}`),
        }),
      () => 'success notification sent',
    );
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
    await sendFailureNotification(input, failure, progress);
    throw ApplicationFailure.nonRetryable(
      `${steps[failure.step].title} (${failure.step}) failed for ${pipeline.name} ${date}: ${errorMessage(failure.cause)}`,
      errorTypes.PipelineStepFailed,
      { step: failure.step, completed } satisfies PipelineStepFailedDetails,
    );
  }
  progress.status = 'succeeded';
  upsertSearchAttributes([{ key: searchAttributes.outcome, value: 'succeeded' }]);
  setCurrentDetails(`**Succeeded** for ${pipeline.name} ${date}`);
  return result;
}

class StepFailed extends Error {
  constructor(
    readonly step: StepName,
    readonly cause: unknown,
  ) {
    super(errorMessage(cause));
  }
}

/** The one failure alert. A failed success notification is itself the failure; it is not sent twice. */
async function sendFailureNotification(input: PipelineRunInput, failure: StepFailed, progress: RunProgress) {
  const { pipeline, date, trigger } = input;
  setCurrentDetails(`**Failed** at ${steps[failure.step].title}: ${errorMessage(failure.cause)}`);
  const notify = proxyActivities<PipelineActivities>(stepOptions(pipeline, 'notify', `publish failure to ${pipeline.notifications.failureTopicArn}`));
  const notifyStep = progress.steps.find((s) => s.step === 'notify')!;
  const alert = {
    pipelineName: pipeline.name,
    date,
    trigger,
    outcome: 'failed' as const,
    topicArn: pipeline.notifications.failureTopicArn,
    failedStep: failure.step,
    error: errorMessage(failure.cause),
    // The failed step's detail is the error itself, already in the message.
    details: progress.steps.filter((s: StepProgress) => s.detail && s.step !== failure.step).map((s) => `${s.title}: ${s.status}, ${s.detail}`),
  };
  try {
    await CancellationScope.nonCancellable(() => observeStep('notify', () => notify.sendNotification(alert)));
    if (failure.step !== 'notify') Object.assign(notifyStep, { status: 'succeeded', detail: 'failure notification sent' });
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
