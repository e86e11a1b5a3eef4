import { logger } from '../../../worker/logging';
import { runWorker } from '../../../worker/main';
import { resolveTarget } from '../../../target/target';
import { tuningFromOptions } from './definition';

export async function workerCommand(options: { localStack?: boolean; metricsAddress: string; taskQueue: string; [tuning: string]: unknown }) {
  // Run by the local stack's supervisor (over an IPC channel): a worker left behind by a killed supervisor would
  // serve runs that `etl stack down` cannot stop, so it shuts down when the channel closes.
  if (process.send) process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  const target = resolveTarget({ localStack: options.localStack });
  const requested = options.metricsAddress === 'off' ? undefined : options.metricsAddress;
  const metricsAddress = requested && (await target.metricsAddress(requested));
  if (metricsAddress !== requested) {
    logger.warn({ requested, metrics: `http://${metricsAddress}/metrics` }, "metrics address in use (by the local stack's worker?): serving metrics on a free port");
  }
  await runWorker(target, { metricsAddress, taskQueue: options.taskQueue, tuning: tuningFromOptions(options) });
}
