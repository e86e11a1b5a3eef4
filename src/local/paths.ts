import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../shared/projectRoot';

// Beside the local stack's folders, for the tests and benches that find the project through this module.
export { projectRoot };

/** Everything the project installs or keeps at run time lives under .local/ (git-ignored). */
export const localDir = join(projectRoot, '.local');
/** The local stack's database files, logs and state file; ETL_STACK_STATE_DIR moves them (say, to run a second stack). */
export const stateDir = process.env.ETL_STACK_STATE_DIR ? resolve(process.env.ETL_STACK_STATE_DIR) : join(localDir, 'state');
export const logDir = join(stateDir, 'logs');

/** A program installed by scripts/setup into the project's virtualenv. */
export function venvBinary(name: 'temporal' | 'temporal-test-server' | 'moto_server'): string {
  const path = join(localDir, 'venv', 'bin', name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/setup to install it`);
  return path;
}
