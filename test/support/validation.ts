import type { S3Client } from '@aws-sdk/client-s3';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createValidationActivities, type ValidateFilesInput, type ValidationOptions } from '../../src/activities/validation/activity';

let runs = 0;

/**
 * Runs validateFiles as Temporal would for a pipeline run of its own (each call has another run id, so it
 * sees what earlier calls left as an earlier run's files), recording its heartbeats. A failure is returned.
 */
export async function validateAsRun(s3: S3Client, input: ValidateFilesInput, validation?: ValidationOptions) {
  const env = new MockActivityEnvironment({ workflowExecution: { workflowId: `etl-${input.pipeline.name}-${input.date}`, runId: `run-${++runs}` } });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details) => heartbeats.push(details));
  const result = await env.run(createValidationActivities({ s3, validation }).validateFiles, input).catch((err: unknown) => err);
  return { result, heartbeats };
}
