import type { GlueClient } from '@aws-sdk/client-glue';
import { activityInfo, heartbeat } from '@temporalio/activity';
import type { PipelineConfig } from '../../config/schema';
import { pollUntilDone } from '../pollUntilDone';
import { findOrStartRun, finishedRun, stopRun } from './runs';

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
  executionTimeSeconds?: number;
  dpuSeconds?: number;
  startedOn?: string;
  completedOn?: string;
}

/** What a Glue attempt heartbeats, so a retry resumes the same run. */
interface GlueProgress {
  jobRunId: string;
}

export function createGlueActivities({ glue }: { glue: GlueClient }) {
  return {
    async runGlueJob({ pipeline, date, runKey }: RunGlueJobInput): Promise<GlueRunResult> {
      const { jobName, pollInterval } = pipeline.glue;
      const resumed = (activityInfo().heartbeatDetails as GlueProgress | undefined)?.jobRunId;
      const { jobRunId, adopted } = resumed
        ? { jobRunId: resumed, adopted: true }
        : await findOrStartRun(glue, pipeline, date, runKey);
      // Recorded at once: a worker dying right after StartJobRun must not lead to a second run.
      const progress: GlueProgress = { jobRunId };
      heartbeat(progress);

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
        executionTimeSeconds: run.ExecutionTime,
        dpuSeconds: run.DPUSeconds,
        startedOn: run.StartedOn?.toISOString(),
        completedOn: run.CompletedOn?.toISOString(),
      };
    },
  };
}
