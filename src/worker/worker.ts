import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { taskQueue } from '../shared/ids';
import { createAwsClients, type AwsSettings } from './awsClients';

export interface PipelineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  aws: AwsSettings;
  temporalUiUrl?: string;
}

/** A worker that runs the pipeline workflows and their activities against the given AWS. */
export async function createPipelineWorker({ connection, namespace, aws, temporalUiUrl }: PipelineWorkerOptions): Promise<Worker> {
  const clients = createAwsClients(aws);
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities({ ...clients, temporalUiUrl }),
    // Cancellation reaches an activity with its next heartbeat; keep that prompt for Glue runs and statements.
    maxHeartbeatThrottleInterval: '5s',
  });
}
