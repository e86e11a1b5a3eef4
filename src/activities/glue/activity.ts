import { GetJobCommand, type GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import { activityInfo, heartbeat, log } from '@temporalio/activity';
import type { PipelineConfig } from '../../config/schema';
import { pollUntilDone } from '../pollUntilDone';
import { clearPreviousOutput, type ClearedOutput } from './previousOutput';
import { findOrStartRun, finishedRun, glueFailure, stopRun } from './runs';

export interface RunGlueJobInput {
  pipeline: PipelineConfig;
  date: string;
  /** Unique per pipeline run: a Glue run carrying it is adopted instead of starting another. */
  runKey: string;
}

export interface GlueRunResult {
  jobRunId: string;
  jobName: string;
  /** True when this attempt did not start the run: it resumed an earlier attempt's run or found it by run key. */
  adopted: boolean;
  state: 'SUCCEEDED';
  /**
   * What was done to the date's earlier processed output before the run started; absent when this attempt found
   * the run by its run key (the attempt that started it, and cleared the output, lost its heartbeat).
   */
  previousOutput?: ClearedOutput;
  executionTimeSeconds?: number;
  dpuSeconds?: number;
  startedOn?: string;
  completedOn?: string;
}

/** What a Glue attempt heartbeats, so a retry resumes the same run. */
interface GlueProgress {
  jobRunId: string;
  previousOutput?: ClearedOutput;
}

export function createGlueActivities({ glue, s3 }: { glue: GlueClient; s3: S3Client }) {
  return {
    async runGlueJob({ pipeline, date, runKey }: RunGlueJobInput): Promise<GlueRunResult> {
      const { jobName, pollInterval } = pipeline.glue;
      const resumed = activityInfo().heartbeatDetails as GlueProgress | undefined;
      let previousOutput = resumed?.previousOutput;
      // Only a new run clears the date's processed output: an adopted run may already have written its own there.
      const clear = async () => {
        previousOutput = await clearPreviousOutput(s3, pipeline, date, runKey);
        log.info('earlier Glue output cleared', { ...previousOutput });
      };
      const { jobRunId, adopted } = resumed?.jobRunId
        ? { jobRunId: resumed.jobRunId, adopted: true }
        : await findOrStartRun(glue, pipeline, date, runKey, clear);
      // Recorded at once: a worker dying right after StartJobRun must not lead to a second run.
      const progress: GlueProgress = { jobRunId, previousOutput };
      heartbeat(progress);
      log.info(adopted ? 'Glue run adopted' : 'Glue run started', { jobName, jobRunId });

      const run = await pollUntilDone({
        interval: pollInterval,
        progress,
        check: () => finishedRun(glue, jobName, jobRunId),
        stop: () => stopRun(glue, jobName, jobRunId),
      });
      return {
        jobRunId,
        jobName,
        adopted,
        state: 'SUCCEEDED',
        previousOutput,
        executionTimeSeconds: run.ExecutionTime,
        dpuSeconds: run.DPUSeconds,
        startedOn: run.StartedOn?.toISOString(),
        completedOn: run.CompletedOn?.toISOString(),
      };
    },

    /** How many runs of the pipeline's Glue job may overlap (ExecutionProperty.MaxConcurrentRuns; Glue's default is 1). */
    async glueMaxConcurrentRuns(pipeline: PipelineConfig): Promise<number> {
      const { jobName } = pipeline.glue;
      try {
        const { Job } = await glue.send(new GetJobCommand({ JobName: jobName }));
        return Job?.ExecutionProperty?.MaxConcurrentRuns ?? 1;
      } catch (err) {
        throw glueFailure(err, jobName);
      }
    },
  };
}
