import { runWorker } from '../../worker/main';
import { resolveTarget } from '../target';

/** OpenTelemetry's usual Prometheus port, on loopback: metrics are exposed beyond the host only when asked. */
export const defaultMetricsAddress = '127.0.0.1:9464';

export async function workerCommand(options: { localStack?: boolean; metricsAddress: string; taskQueue: string }) {
  const metricsAddress = options.metricsAddress === 'off' ? undefined : options.metricsAddress;
  await runWorker(resolveTarget({ localStack: options.localStack }), { metricsAddress, taskQueue: options.taskQueue });
}
