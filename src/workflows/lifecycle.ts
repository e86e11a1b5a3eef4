import { ActivityFailure, ApplicationFailure, isCancellation, log, metricMeter } from '@temporalio/workflow';
import { errorTypes } from '../shared/errorTypes';
import type { StepResults, ValidationResult } from '../shared/stepResults';
import { steps, type StepKind } from '../steps/registry';

// What a pipeline run tells its operators: its end and each step's start and end are logged, and the run's
// outcome, step durations, files and rows validated and Glue DPU-seconds become metrics. The interceptors add
// the run's pipeline and date to every line and metric. Workflow logs and metrics are dropped during replay,
// so each is emitted once per run. Metrics are created where they are recorded: only a workflow can create them.

type Outcome = 'succeeded' | 'failed' | 'cancelled';

/** What each step returns; the figures of some of them are counted. */
export interface StepOutput extends StepResults {
  // Optional, so that what a reusable step returns is a step's output too.
  notify?: unknown;
}

/** Runs a pipeline run, logging and counting how it ended. */
export async function observeRun<T>(run: () => Promise<T>): Promise<T> {
  const finish = (outcome: Outcome) => {
    log.info('run finished', { outcome });
    metricMeter.createCounter('etl_pipeline_runs', 'runs', 'Pipeline runs by outcome').add(1, { outcome });
  };
  try {
    const result = await run();
    finish('succeeded');
    return result;
  } catch (err) {
    finish(outcomeOf(err));
    throw err;
  }
}

/**
 * Carries out a step's work, logging its start and end and recording its duration and figures: a pipeline run's
 * steps, and the same work done elsewhere (alerts, a backfill's view refresh).
 */
export async function observeStep<K extends StepKind>({ id, kind }: { id: string; kind: K }, work: () => Promise<StepOutput[K]>): Promise<StepOutput[K]> {
  // The activity the step starts with: its other activities (and those of earlier runs) belong to it too.
  log.info('step started', { step: id, kind, activity: steps[kind].activities[0] });
  const startedAt = Date.now();
  const finish = (outcome: Outcome) => {
    const attributes = { step: id, kind, outcome };
    if (outcome === 'succeeded') log.info('step finished', attributes);
    else log.warn('step finished', attributes);
    metricMeter
      .createHistogram('etl_step_duration', 'int', 'ms', 'From the start of a step to its end, retries included')
      .record(Date.now() - startedAt, attributes);
  };
  try {
    const result = await work();
    finish('succeeded');
    figures[kind]?.(result);
    return result;
  } catch (err) {
    finish(outcomeOf(err));
    // Validation fails with `InvalidFiles` after moving every file; its details count them like a success does.
    const report = kind === 'validate' ? invalidFilesReport(err) : undefined;
    if (report) figures.validate?.(report);
    throw err;
  }
}

/** The figures a finished step adds to the metrics. */
const figures: { [K in StepKind]?: (result: StepOutput[K]) => void } = {
  validate({ files, rowsValidated }) {
    const filesValidated = metricMeter.createCounter('etl_files_validated', 'files', 'Files checked against the contract, by outcome');
    for (const fileOutcome of ['validated', 'invalid'] as const) {
      const count = files.filter((file) => file.outcome === fileOutcome).length;
      if (count) filesValidated.add(count, { outcome: fileOutcome });
    }
    metricMeter.createCounter('etl_rows_validated', 'rows', 'Rows in the files that passed the contract').add(rowsValidated);
  },
  glue({ dpuSeconds, billedDpuSeconds, executionClass, estimatedCost }) {
    // Runs recorded before the minimum was counted carry only the DPU-seconds they used.
    const billed = billedDpuSeconds ?? dpuSeconds ?? 0;
    metricMeter.createCounter('etl_glue_dpu_seconds', 'DPU-seconds', 'Glue capacity billed for the runs, as Glue bills it').add(Math.round(billed));
    if (!estimatedCost) return;
    metricMeter
      .createHistogram('etl_glue_run_cost', 'float', estimatedCost.currency, "Each Glue run's estimated cost, at the pipeline's prices per DPU-hour")
      .record(estimatedCost.amount, { step: 'glue', executionClass: executionClass ?? 'STANDARD', currency: estimatedCost.currency });
  },
};

function outcomeOf(err: unknown): Outcome {
  return isCancellation(err) ? 'cancelled' : 'failed';
}

/** The report an `InvalidFiles` failure carries: what the step moved, as a success would say. */
function invalidFilesReport(err: unknown): ValidationResult | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type === errorTypes.InvalidFiles ? (cause.details?.[0] as ValidationResult) : undefined;
}
