import { Client } from '@temporalio/client';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { dataConverterFromEnv } from '../codec/dataConverter';
import { activityLogFields } from './activityLogFields';
import { createAwsClients, type AwsSettings } from '../aws/awsClients';
import { logger } from './logging';
import { workerTuningFromEnv, type WorkerTuning } from './tuning';
import { pipelineWorkflows, workflowCode } from './workflowBundle';

export interface PipelineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  aws: AwsSettings;
  temporalUiUrl?: string;
  /** The queue this worker serves: pipelines whose config names it (default etl-pipelines). */
  taskQueue: string;
  /** What the worker takes on at once: `etl worker`'s flags; otherwise from the environment. */
  tuning?: WorkerTuning;
}

/** A worker that runs the pipeline workflows and their activities against the given AWS. */
export async function createPipelineWorker({
  connection,
  namespace,
  aws,
  temporalUiUrl,
  taskQueue,
  tuning = workerTuningFromEnv(),
}: PipelineWorkerOptions): Promise<Worker> {
  const clients = createAwsClients(aws);
  // Payload encryption, when configured; clients must use the same key (see dataConverterFromEnv).
  const dataConverter = dataConverterFromEnv();
  const code = workflowCode({ ...pipelineWorkflows, failureConverterPath: dataConverter?.failureConverterPath }, logger);
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowBundle: code.workflowBundle,
    workflowsPath: code.workflowsPath,
    activities: createActivities({ ...clients, temporal: new Client({ connection, namespace, dataConverter }), temporalUiUrl }),
    dataConverter,
    // Log lines name the run (pipeline, date, step); the workflow side also records the pipeline metrics.
    interceptors: {
      workflowModules: code.workflowModules,
      activity: [activityLogFields],
    },
    // Cancellation reaches an activity with its next heartbeat; keep that prompt for Glue runs and statements.
    maxHeartbeatThrottleInterval: '5s',
    ...tuning,
  });
}
