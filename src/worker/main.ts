import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Target } from '../client/target';
import { logger, installTemporalLogging } from './logging';
import { createPipelineWorker } from './worker';
import { taskQueue } from '../shared/ids';

/** Runs a worker against the target until SIGINT or SIGTERM. */
export async function runWorker(target: Target): Promise<void> {
  installTemporalLogging();
  const connection = await NativeConnection.connect(target.connection as NativeConnectionOptions);
  try {
    const worker = await createPipelineWorker({
      connection,
      namespace: target.namespace,
      aws: target.aws,
      temporalUiUrl: target.uiUrl,
    });
    logger.info({ address: target.connection.address, namespace: target.namespace, taskQueue }, 'worker started');
    await worker.run();
  } finally {
    await connection.close();
  }
}
