/** Names shared by the client, the worker and the workflows. Deterministic: safe in workflow code. */

/** The task queue of pipelines that name none; `taskQueue` in a pipeline's config puts it on its own. */
export const defaultTaskQueue = 'etl-pipelines';

/**
 * The workflow types of one pipeline's run for one date: pipelineRun, and dailyPipeline, its type before it was
 * named for no cadence, kept while runs of it may be open. What finds a pipeline's runs by type finds both.
 */
export const pipelineRunTypes: readonly string[] = ['pipelineRun', 'dailyPipeline'];

/** The workflow type a pipeline's Schedule starts. */
export const scheduledRunType = 'scheduledPipeline';

/** The visibility query's condition for runs of any of these workflow types. */
export function workflowTypeIn(types: readonly string[]): string {
  return `WorkflowType IN (${types.map((type) => `'${type}'`).join(', ')})`;
}

/** One date of one pipeline has at most one open run: the workflow id is derived from both. */
export function pipelineWorkflowId(pipeline: string, date: string): string {
  return `etl-${pipeline}-${date}`;
}

/**
 * Passed to Glue as a job argument so a retried attempt finds and adopts the run it started.
 * Includes the run id: a later rerun of the same date must start a fresh Glue run.
 */
export function glueRunKey(workflowId: string, runId: string): string {
  return `${workflowId}/${runId}`;
}

/** The pipeline's Temporal Schedule; the runs it starts are named `<schedule id>-<scheduled time>` by Temporal. */
export function pipelineScheduleId(pipeline: string): string {
  return `etl-${pipeline}-schedule`;
}

/** The id the pipeline's schedule had when it was named for a daily cadence: `etl schedule apply` moves it. */
export function formerPipelineScheduleId(pipeline: string): string {
  return `etl-${pipeline}-daily`;
}

/** One backfill of a range: starting the same range again while it runs attaches to it. */
export function backfillWorkflowId(pipeline: string, from: string, to: string): string {
  return `etl-backfill-${pipeline}-${from}-${to}`;
}
