import { runWorker } from '../../worker/main';
import { resolveTarget } from '../target';

export async function workerCommand(options: { localStack?: boolean }) {
  await runWorker(resolveTarget({ localStack: options.localStack }));
}
