import { freePort, isPortFree } from '../../../local/processes';
import { logger } from '../../../worker/logging';
import { runWorker } from '../../../worker/main';
import { resolveTarget } from '../../../target/target';

export async function workerCommand(options: { localStack?: boolean; metricsAddress: string; taskQueue: string }) {
  // Run by the local stack's supervisor (over an IPC channel): a worker left behind by a killed supervisor would
  // serve runs that `etl stack down` cannot stop, so it shuts down when the channel closes.
  if (process.send) process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  const target = resolveTarget({ localStack: options.localStack });
  const requested = options.metricsAddress === 'off' ? undefined : options.metricsAddress;
  const metricsAddress = requested && target.local ? await besideTheStacksWorker(requested) : requested;
  await runWorker(target, { metricsAddress, taskQueue: options.taskQueue });
}

/**
 * A second worker on the local stack finds the metrics port taken by the stack's own worker: it serves its
 * metrics on a free port of the same host instead, and says where, rather than refusing to serve runs.
 */
async function besideTheStacksWorker(address: string): Promise<string> {
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator);
  if (await isPortFree(Number(address.slice(separator + 1)), host)) return address;
  const moved = `${host}:${await freePort(host)}`;
  logger.warn({ requested: address, metrics: `http://${moved}/metrics` }, 'metrics address in use (by the local stack\'s worker?): serving metrics on a free port');
  return moved;
}
