import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Target } from '../target/target';
import { favourHeapSize } from './processSettings';
import { logger, installTemporalRuntime } from './logging';
import { logMemoryUsage } from './memoryUsage';
import type { WorkerTuning } from './tuning';
import { createPipelineWorker } from './worker';

export interface WorkerRunOptions {
  /** host:port where Prometheus scrapes /metrics; none serves no metrics. */
  metricsAddress?: string;
  taskQueue: string;
  tuning: WorkerTuning;
}

/** Runs a worker against the target until SIGINT or SIGTERM. */
export async function runWorker(target: Target, { metricsAddress, taskQueue, tuning }: WorkerRunOptions): Promise<void> {
  favourHeapSize();
  installTemporalRuntime({ metricsAddress });
  const connection = await NativeConnection.connect(target.connection as NativeConnectionOptions);
  try {
    const worker = await createPipelineWorker({
      connection,
      namespace: target.namespace,
      aws: target.aws,
      temporalUiUrl: target.uiUrl,
      taskQueue,
      tuning,
    });
    const metrics = metricsAddress ? `http://${metricsAddress}/metrics` : undefined;
    logger.info({ address: target.connection.address, namespace: target.namespace, taskQueue, metrics }, 'worker started');
    const stopLoggingMemory = logMemoryUsage(logger);
    try {
      await worker.run();
    } finally {
      stopLoggingMemory();
    }
  } finally {
    await connection.close();
  }
}
