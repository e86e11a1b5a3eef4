import type { S3Client } from '@aws-sdk/client-s3';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createValidationActivities, type ValidationOptions } from '../../src/activities/validation/activity';
import type { PipelineConfig } from '../../src/config/schema';
import { fileCheckInput } from '../../src/shared/activityInputs';
import { stepOf } from './pipelines';

let runs = 0;

/**
 * Runs validateFiles for the pipeline's date as Temporal would for a pipeline run of its own (each call has another
 * run id, so it sees what earlier calls left as an earlier run's files), recording its heartbeats. A failure is returned.
 */
export async function validateAsRun(s3: S3Client, { pipeline, date }: { pipeline: PipelineConfig; date: string }, validation?: ValidationOptions) {
  const input = fileCheckInput(pipeline, stepOf(pipeline, 'validate'), date);
  const env = new MockActivityEnvironment({ workflowExecution: { workflowId: `etl-${pipeline.name}-${date}`, runId: `run-${++runs}` } });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details) => heartbeats.push(details));
  const result = await env.run(createValidationActivities({ s3, validation }).validateFiles, input).catch((err: unknown) => err);
  return { result, heartbeats };
}
