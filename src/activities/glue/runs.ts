import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  BatchStopJobRunCommand,
  ConcurrentRunsExceededException,
  EntityNotFoundException,
  GetJobRunCommand,
  JobRunState,
  StartJobRunCommand,
  paginateGetJobRuns,
  type GlueClient,
  type JobRun,
  type StartJobRunRequest,
} from '@aws-sdk/client-glue';
import { ApplicationFailure } from '@temporalio/common';
import type { GlueStartInput } from '../../shared/activityInputs';
import { renderTemplate } from '../../shared/dates';
import { errorTypes } from '../../shared/errorTypes';
import type { CostConfig } from '../../shared/glueCost';
import { withoutSdkRetry } from '../withoutSdkRetry';
import { runFailed } from './runFailure';

/** The job argument that ties a Glue run to the pipeline run that started it. */
const runKeyArgument = '--etl_run_key';

/** A retried attempt follows its first one closely, so its run is among the job's newest. */
const runLookupPages = 3;

const failedStates: ReadonlySet<string> = new Set([JobRunState.FAILED, JobRunState.ERROR, JobRunState.TIMEOUT, JobRunState.STOPPED, JobRunState.EXPIRED]);

/**
 * StartJobRun has no idempotency token, so every run carries the run key as an argument and an
 * attempt first looks for a run with its key: a run started by an earlier attempt is adopted. The SDK
 * does not retry StartJobRun: a run it started before a 5xx would be invisible to that lookup.
 * `beforeStart` runs only when a new run is about to start, never for an adopted one.
 */
export async function findOrStartRun(glue: GlueClient, input: GlueStartInput, beforeStart: () => Promise<void>): Promise<{ jobRunId: string; adopted: boolean }> {
  const { jobName, runKey } = input;
  try {
    const found = await findRunByKey(glue, jobName, runKey);
    if (found) return { jobRunId: found, adopted: true };
    await beforeStart();
    const { JobRunId } = await glue.send(withoutSdkRetry(new StartJobRunCommand({ JobName: jobName, Arguments: jobArguments(input), ...runSettings(input) })));
    if (!JobRunId) throw new Error(`Glue StartJobRun for job ${jobName} returned no JobRunId`);
    return { jobRunId: JobRunId, adopted: false };
  } catch (err) {
    throw glueFailure(err, jobName);
  }
}

/** The configured arguments for the date, plus the run key. */
function jobArguments({ arguments: configured, date, runKey }: GlueStartInput): Record<string, string> {
  const args = Object.entries(configured).map(([name, value]): [string, string] => [name, renderTemplate(value, { date })]);
  return { ...Object.fromEntries(args), [runKeyArgument]: runKey };
}

/** The run's settings as StartJobRun names them; those not given are left to the job's definition. */
function runSettings({ executionClass, workerType, numberOfWorkers, timeout }: GlueStartInput): Partial<StartJobRunRequest> {
  return { ExecutionClass: executionClass, WorkerType: workerType, NumberOfWorkers: numberOfWorkers, Timeout: timeout };
}

async function findRunByKey(glue: GlueClient, jobName: string, runKey: string): Promise<string | undefined> {
  let pages = 0;
  for await (const page of paginateGetJobRuns({ client: glue, pageSize: 100 }, { JobName: jobName })) {
    const run = page.JobRuns?.find((candidate) => candidate.Arguments?.[runKeyArgument] === runKey);
    if (run?.Id) return run.Id;
    if (++pages === runLookupPages) break;
  }
  return undefined;
}

/**
 * The run once it succeeded, undefined while it runs; a run that ended any other way fails the activity, with
 * links to the run and its error log, that log's last lines, and what the run cost (at the `cost` prices).
 */
export async function finishedRun(
  clients: { glue: GlueClient; logs: CloudWatchLogsClient },
  jobName: string,
  jobRunId: string,
  cost: CostConfig | undefined,
): Promise<JobRun | undefined> {
  const { JobRun: run } = await clients.glue.send(new GetJobRunCommand({ JobName: jobName, RunId: jobRunId }));
  const state = run?.JobRunState;
  if (state === JobRunState.SUCCEEDED) return run;
  if (state && failedStates.has(state)) throw await runFailed(clients, jobName, { ...run, Id: jobRunId }, cost);
  return undefined;
}

export async function stopRun(glue: GlueClient, jobName: string, jobRunId: string): Promise<void> {
  const { Errors } = await glue.send(new BatchStopJobRunCommand({ JobName: jobName, JobRunIds: [jobRunId] }));
  const error = Errors?.[0]?.ErrorDetail;
  if (error) throw new Error(`Glue could not stop run ${jobRunId} of job ${jobName}: ${error.ErrorCode} ${error.ErrorMessage}`);
}

/** Says what a Glue error means for the pipeline: retry later, or fix the configuration. */
export function glueFailure(err: unknown, jobName: string): unknown {
  if (err instanceof ConcurrentRunsExceededException) {
    return ApplicationFailure.retryable(
      `Glue job ${jobName} is already running its maximum number of concurrent runs; retrying with backoff. ` +
        `Raise the job's MaxConcurrentRuns if runs should overlap.`,
      errorTypes.GlueConcurrentRunsExceeded,
    );
  }
  if (err instanceof EntityNotFoundException) {
    return ApplicationFailure.nonRetryable(
      `Glue job ${jobName} does not exist: create the job in Glue, or fix the glue step's jobName in the pipeline config.`,
      errorTypes.GlueJobNotFound,
    );
  }
  return err;
}
