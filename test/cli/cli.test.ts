import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/local/paths';
import { freePort } from '../../src/local/processes';
import { etl } from '../support/etl';

let unreachable: Record<string, string>;
beforeAll(async () => {
  // A Temporal address nobody listens on: a command that got as far as connecting would say so.
  unreachable = { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` };
});

test('--help describes every command and exits 0', () => {
  const { code, stdout } = etl(['--help']);
  expect(code).toBe(0);
  for (const command of ['run', 'rerun', 'status', 'backfill', 'drop-file', 'sql', 'schedule', 'stack', 'worker', 'setup', 'codec-server', 'demo'])
    expect(stdout).toContain(command);
  expect(etl(['run', '--help']).stdout).toContain('--date <YYYY-MM-DD>');
  expect(etl(['stack', '--help']).stdout).toMatch(/up[\s\S]*down[\s\S]*status/);
});

test.each(['2024-02-30', '2023-02-29', '2024-13-01', '2024-1-5', '20240115', 'yesterday', ''])(
  'run with the bad date %p exits 2 with one line and starts nothing',
  (date) => {
    const { code, stderr } = etl(['run', '--pipeline', 'orders', '--date', date], unreachable);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('is not a valid date: expected YYYY-MM-DD');
  },
);

test('an unknown pipeline exits 2 and names the known ones', () => {
  const { code, stderr } = etl(['run', '--pipeline', 'invoices', '--date', '2024-01-15'], unreachable);
  expect(code).toBe(2);
  expect(stderr.trim()).toBe('etl: unknown pipeline "invoices": no config/pipelines/invoices.yaml (known pipelines: orders)');
});

test('a broken config exits 2 naming the file, line and key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'etl-config-'));
  const sample = readFileSync(join(projectRoot, 'config/pipelines/orders.yaml'), 'utf8');
  writeFileSync(join(dir, 'orders.yaml'), sample.replace('iamRole: arn:aws:iam::', 'iamRole: arn:aws:nope::'));
  const line = sample.split('\n').findIndex((l) => l.includes('iamRole:')) + 1;

  const { code, stderr } = etl(['run', '--pipeline', 'orders', '--date', '2024-01-15'], { ...unreachable, ETL_CONFIG_DIR: dir });

  expect(code).toBe(2);
  expect(stderr).toContain(`orders.yaml:${line}: steps[2].copy.iamRole: must be an iam ARN`);
});

test('missing options and unknown commands exit 2', () => {
  expect(etl(['run', '--date', '2024-01-15']).code).toBe(2);
  expect(etl(['run', '--pipeline', 'orders']).code).toBe(2);
  expect(etl(['frobnicate']).code).toBe(2);
});

test.each([
  [['--max-concurrent-activities', '0'], {}, '--max-concurrent-activities is "0": give a whole number of at least 1, or leave it out for 20'],
  [['--max-cached-workflows', 'lots'], {}, '--max-cached-workflows is "lots": give a whole number of at least 0, or leave it out for 100'],
  [[], { ETL_MAX_CONCURRENT_WORKFLOW_TASKS: '1' }, "from env 'ETL_MAX_CONCURRENT_WORKFLOW_TASKS' is invalid"],
])('etl worker %j %j refuses a tuning value that is not a whole number in range, and exits 2', (args, env, message) => {
  const { code, stderr } = etl(['worker', ...args], { ...unreachable, ...env });
  expect(code).toBe(2);
  expect(stderr).toContain(message);
});

test('an unreachable Temporal server is a clear failure, not a crash', () => {
  const { code, stderr } = etl(['run', '--pipeline', 'orders', '--date', '2024-01-15'], unreachable);
  expect(code).toBe(1);
  expect(stderr).toContain(`cannot reach the Temporal server`);
  expect(stderr).toContain('TEMPORAL_ADDRESS');
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
});

test.each([
  [['sql', '--pipeline', 'orders', 'SELECT 1'], 'the Redshift Data API failed: '],
  [['drop-file', '--pipeline', 'orders', '--date', '2024-01-15', '--file', 'bad.csv'], 'S3 failed: '],
])('etl %j against an AWS endpoint nobody answers exits 1 naming the service, not Temporal', async (args, said) => {
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const aws = { AWS_ENDPOINT_URL: nobody, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_MAX_ATTEMPTS: '1' };
  const { code, stderr } = etl(args, { ...unreachable, ...aws });
  expect(code).toBe(1);
  expect(stderr).toContain(`etl: ${said}`);
  expect(stderr).not.toContain('Temporal');
  expect(stderr).not.toMatch(/\n\s+at /);
});
