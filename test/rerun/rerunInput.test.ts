import { freePort } from '../../src/local/processes';
import { etl } from '../support/etl';

/**
 * `etl rerun` with bad input exits 2 and starts nothing: it never reaches for Temporal (here an address
 * nobody answers, which would otherwise exit 1 with "cannot reach the Temporal server").
 */

let unreachable: Record<string, string>;
beforeAll(async () => {
  unreachable = { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` };
});

test.each([
  [['--pipeline', 'orders', '--date', '2024-02-30'], '"2024-02-30" is not a valid date'],
  [['--pipeline', 'invoices', '--date', '2024-01-15'], 'unknown pipeline "invoices"'],
  [
    ['--pipeline', 'orders', '--date', '2024-01-15', '--from-step', 'transform'],
    'pipeline orders has no step "transform": --from-step takes one of its step ids (validate, glue, load, refresh, notify)',
  ],
  [['--pipeline', 'orders'], "required option '-d, --date <YYYY-MM-DD>' not specified"],
])('rerun %j exits 2 and says why', (args, message) => {
  const { code, stderr } = etl(['rerun', ...args], unreachable);
  expect(code).toBe(2);
  expect(stderr).toContain(message);
  expect(stderr).not.toContain('cannot reach the Temporal server');
});
