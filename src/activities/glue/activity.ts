import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GetJobCommand, type GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import { activityInfo, heartbeat, log } from '@temporalio/activity';
import type { Duration } from '@temporalio/common';
import type { LegacyPipelineConfig } from '../../config/schema';
import type { GlueJobInput, GlueStartInput } from '../../shared/activityInputs';
import type { CostConfig } from '../../shared/glueCost';
import type { ClearedOutput, GlueRunFigures, GlueRunResult, GlueRunStart } from '../../shared/stepResults';
import { checkAgainLater } from '../checkAgainLater';
import { glueJobOf, glueRunOf, glueStartOf, type WithConfig } from '../earlierInputs';
import { pollUntilDone } from '../pollUntilDone';
import { createCrawlerActivities } from './crawler';
import { createPartitionActivities } from './partitions';
import { clearPreviousOutput } from './previousOutput';
import { consoleRegion, glueRunConsoleUrl } from './runLinks';
import { runFigures } from './runFigures';
import { findOrStartRun, finishedRun, glueFailure, stopRun } from './runs';

/** The prices a finished run's estimated cost is worked out at; inputs recorded before have none: the defaults apply. */
interface GlueCostInput {
  cost?: CostConfig;
}

/** The whole Glue step in one activity: the start, and how often the run is checked. */
export interface RunGlueJobInput extends GlueStartInput, GlueCostInput {
  pollInterval: Duration;
}

/** The fields of the start an earlier input carried in the config. */
type StartFields = Exclude<keyof GlueStartInput, 'date' | 'runKey'>;

export interface GlueRunRef {
  jobName: string;
  jobRunId: string;
}

export interface WaitForGlueJobRunInput extends GlueRunRef, GlueCostInput {
  pollInterval: Duration;
}

/** What a Glue attempt heartbeats, so a retry resumes the same run. */
interface GlueProgress {
  jobRunId: string;
  previousOutput?: ClearedOutput;
}

export function createGlueActivities({ glue, s3, logs }: { glue: GlueClient; s3: S3Client; logs: CloudWatchLogsClient }) {
  /** Resumes the run named in the heartbeat, adopts the run carrying the run key, or starts one; heartbeats its id at once. */
  async function startOrResume(input: GlueStartInput): Promise<GlueRunStart> {
    const { jobName } = input;
    const resumed = activityInfo().heartbeatDetails as GlueProgress | undefined;
    let previousOutput = resumed?.previousOutput;
    // Only a new run clears the date's processed output: an adopted run may already have written its own there.
    const clear = async () => {
      if (!input.copySource) return; // the step names no output folder: nothing to clear
      previousOutput = await clearPreviousOutput(s3, { ...input, copySource: input.copySource });
      log.info('earlier Glue output cleared', { ...previousOutput });
    };
    const { jobRunId, adopted } = resumed?.jobRunId ? { jobRunId: resumed.jobRunId, adopted: true } : await findOrStartRun(glue, input, clear);
    // Recorded at once: a worker dying right after StartJobRun must not lead to a second run.
    heartbeat({ jobRunId, previousOutput } satisfies GlueProgress);
    log.info(adopted ? 'Glue run adopted' : 'Glue run started', { jobName, jobRunId });
    return { jobRunId, jobName, adopted, previousOutput, consoleUrl: glueRunConsoleUrl(await consoleRegion(glue), jobName, jobRunId) };
  }

  /** The run's figures once it succeeded, undefined while it runs; a run that ended any other way fails. */
  async function succeeded({ jobName, jobRunId }: GlueRunRef, cost: CostConfig | undefined): Promise<GlueRunFigures | undefined> {
    const run = await finishedRun({ glue, logs }, jobName, jobRunId, cost);
    return run && runFigures(run, cost);
  }

  return {
    ...createCrawlerActivities({ glue }),
    ...createPartitionActivities({ glue }),

    /** Starts the pipeline run's Glue run, or adopts the one an earlier attempt started; returns without waiting. */
    async startGlueJobRun(input: GlueStartInput | WithConfig<GlueStartInput, StartFields>): Promise<GlueRunStart> {
      return startOrResume(glueStartOf(input));
    },

    /**
     * Checks the run once: its figures when it succeeded, GlueJobFailed when it ended otherwise, and while it runs
     * a failure that has Temporal check again later, so the wait holds no worker slot (see checkAgainLater).
     */
    async waitForGlueJobRun({ pollInterval, cost, ...run }: WaitForGlueJobRunInput): Promise<GlueRunFigures> {
      const figures = await succeeded(run, cost);
      if (figures) return figures;
      throw checkAgainLater(`Glue job ${run.jobName} run ${run.jobRunId} is still running`, pollInterval);
    },

    /** BatchStopJobRun for the run; the workflow calls it when the run is cancelled or its wait's deadline passes. */
    async stopGlueJobRun({ jobName, jobRunId }: GlueRunRef): Promise<void> {
      await stopRun(glue, jobName, jobRunId);
      log.info('Glue run stopped', { jobName, jobRunId });
    },

    /**
     * The whole Glue step in one activity that polls while it holds a worker slot: what runs started before the
     * step was split into start, wait and stop still have scheduled. Kept until none of those runs is open.
     */
    async runGlueJob(given: RunGlueJobInput | WithConfig<RunGlueJobInput, StartFields | 'pollInterval'>): Promise<GlueRunResult> {
      const input = glueRunOf(given);
      const started = await startOrResume(input);
      const figures = await pollUntilDone({
        interval: input.pollInterval,
        progress: { jobRunId: started.jobRunId, previousOutput: started.previousOutput } satisfies GlueProgress,
        check: () => succeeded(started, input.cost),
        stop: () => stopRun(glue, started.jobName, started.jobRunId),
      });
      return { ...started, state: 'SUCCEEDED', ...figures };
    },

    /** How many runs of the pipeline's Glue job may overlap (ExecutionProperty.MaxConcurrentRuns; Glue's default is 1). */
    async glueMaxConcurrentRuns(input: GlueJobInput | LegacyPipelineConfig): Promise<number> {
      const { jobName } = glueJobOf(input);
      try {
        const { Job } = await glue.send(new GetJobCommand({ JobName: jobName }));
        return Job?.ExecutionProperty?.MaxConcurrentRuns ?? 1;
      } catch (err) {
        throw glueFailure(err, jobName);
      }
    },
  };
}
