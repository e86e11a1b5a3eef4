import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/local/processes';
import { etl } from '../support/etl';

/** The npm packages an `etl` command loaded, read from the module files it required. */
function packagesLoadedBy(args: string[], env: Record<string, string>) {
  const record = join(mkdtempSync(join(tmpdir(), 'etl-modules-')), 'loaded.json');
  const result = etl(args, { ...env, NODE_OPTIONS: `--require ${require.resolve('./recordLoadedModules.js')}`, ETL_LOADED_MODULES_FILE: record });
  const files: string[] = JSON.parse(readFileSync(record, 'utf8'));
  const packages = new Set(files.map((file) => /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1]).filter((name) => name !== undefined));
  return { ...result, packages: [...packages].sort() };
}

test('etl status loads the Temporal client, not the worker, the AWS SDK or the log formatter', async () => {
  // A Temporal address nobody listens on: the command loads everything it uses, then fails to connect.
  const { code, stderr, packages } = packagesLoadedBy(['status', '--pipeline', 'orders'], { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
  expect(stderr).toContain('cannot reach the Temporal server');
  expect(code).toBe(1);
  expect(packages).toContain('@temporalio/client');
  expect(packages.filter((name) => /^(@aws-sdk\/|@smithy\/|@temporalio\/worker$|pino)/.test(name))).toEqual([]);
});
