import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  log,
  metricMeter,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import type { StepName } from '../config/schema';
import { runFields } from '../shared/runFields';
import { errorTypes } from '../shared/errorTypes';
import type { GlueRunFigures, ValidationResult } from '../shared/stepResults';

/**
 * What a run tells its operators, registered as workflow interceptors by the worker: every workflow log
 * line carries the run's pipeline and date; each step's start and end is logged; and the run's
 * outcome, step durations, files and rows validated and Glue DPU-seconds become metrics. Workflow logs
 * and metrics are dropped during replay, so each is emitted once per run.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  const metrics = createMetrics();
  let fields: ReturnType<typeof runFields> = {};
  /** When the running step scheduled its first activity: a step may take several (start, wait). */
  let stepScheduled: { step: StepName; at: number } | undefined;

  return {
    inbound: [
      {
        async execute(input, next) {
          fields = runFields(input.args[0]);
          // A pipeline run is one pipeline for one date; other workflows only get the log fields.
          if (!fields.pipeline || !fields.date) return next(input);
          try {
            const result = await next(input);
            finishRun('succeeded');
            return result;
          } catch (err) {
            finishRun(isCancellation(err) ? 'cancelled' : 'failed');
            throw err;
          }
        },
      },
    ],
    outbound: [
      {
        async scheduleActivity(input, next) {
          const activity = input.activityType as keyof PipelineActivities;
          const step = stepOf[activity];
          if (!step) return next(input);
          if (stepScheduled?.step !== step) {
            stepScheduled = { step, at: Date.now() };
            log.info('step started', { step, activity });
          }
          const { at } = stepScheduled;
          try {
            const result = await next(input);
            if (!startsOnly.has(activity)) finishStep(activity, step, at, 'succeeded', result);
            return result;
          } catch (err) {
            // A step's activities may run side by side (validation batches): the first to fail ends the step.
            if (stepScheduled?.step === step) finishStep(activity, step, at, isCancellation(err) ? 'cancelled' : 'failed', invalidFilesReport(err));
            throw err;
          }
        },
        getLogAttributes: (attributes, next) => next({ ...attributes, ...fields }),
        getMetricTags: (tags, next) => next({ ...tags, ...(fields.pipeline && { pipeline: fields.pipeline }) }),
      },
    ],
  };

  function finishRun(outcome: string) {
    log.info('run finished', { outcome });
    metrics.runs.add(1, { outcome });
  }

  /** `result` is what the step returned or, when files broke the contract, the report it failed with. */
  function finishStep(activityType: string, step: StepName, scheduled: number, outcome: string, result?: unknown) {
    stepScheduled = undefined;
    const attributes = { step, activity: activityType, outcome };
    if (outcome === 'succeeded') log.info('step finished', attributes);
    else log.warn('step finished', attributes);
    metrics.stepDuration.record(Date.now() - scheduled, { step, outcome });

    if ((activityType === 'validateFiles' || activityType === 'finishValidation') && result) {
      const { files, rowsValidated } = result as ValidationResult;
      for (const fileOutcome of ['validated', 'invalid'] as const) {
        const count = files.filter((file) => file.outcome === fileOutcome).length;
        if (count) metrics.filesValidated.add(count, { outcome: fileOutcome });
      }
      metrics.rowsValidated.add(rowsValidated);
    }
    if ((activityType === 'waitForGlueJobRun' || activityType === 'runGlueJob') && outcome === 'succeeded') {
      metrics.glueDpuSeconds.add(Math.round((result as GlueRunFigures).dpuSeconds ?? 0));
    }
  }
};

/**
 * The step each step activity carries out, named as in config, progress and search attributes. The one-activity
 * steps (validateFiles, runGlueJob, loadToRedshift, refreshViews) are those of runs started before validation
 * fanned out and waiting held no slot.
 */
const stepOf: Partial<Record<keyof PipelineActivities, StepName>> = {
  validateFiles: 'validate',
  planValidationRound: 'validate',
  validateFileBatch: 'validate',
  finishValidation: 'validate',
  startGlueJobRun: 'glue',
  waitForGlueJobRun: 'glue',
  runGlueJob: 'glue',
  submitLoad: 'load',
  waitForLoad: 'load',
  loadToRedshift: 'load',
  submitViewRefresh: 'refresh',
  waitForViewRefresh: 'refresh',
  refreshViews: 'refresh',
  sendNotification: 'notify',
};

/** Activities after which their step goes on: it ends with the wait or the finish that follows, or with their failure. */
const startsOnly: ReadonlySet<keyof PipelineActivities> = new Set([
  'planValidationRound',
  'validateFileBatch',
  'startGlueJobRun',
  'submitLoad',
  'submitViewRefresh',
]);

/** Workflow metrics can only be created inside a workflow, so each run makes its own. */
function createMetrics() {
  return {
    runs: metricMeter.createCounter('etl_pipeline_runs', 'runs', 'Pipeline runs by outcome'),
    stepDuration: metricMeter.createHistogram('etl_step_duration', 'int', 'ms', 'From scheduling a step to its end, retries included'),
    filesValidated: metricMeter.createCounter('etl_files_validated', 'files', 'Files checked against the contract, by outcome'),
    rowsValidated: metricMeter.createCounter('etl_rows_validated', 'rows', 'Rows in the files that passed the contract'),
    glueDpuSeconds: metricMeter.createCounter('etl_glue_dpu_seconds', 'DPU-seconds', 'Glue capacity used by the runs, as Glue bills it'),
  };
}

/** Validation fails with `InvalidFiles` after moving every file; its details count them like a success does. */
function invalidFilesReport(err: unknown): ValidationResult | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type === errorTypes.InvalidFiles ? (cause.details?.[0] as ValidationResult) : undefined;
}
