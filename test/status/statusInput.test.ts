import { freePort } from '../../src/local/processes';
import { etl } from '../support/etl';

/** `etl status` with bad input exits 2 with one line, before it reaches for Temporal (here: an address nobody answers). */

let unreachable: Record<string, string>;
beforeAll(async () => {
  unreachable = { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` };
});

test.each([
  [['--from', '2024-02-30'], '"2024-02-30" is not a valid date'],
  [['--to', 'yesterday'], '"yesterday" is not a valid date'],
  [['--from', '2024-03-10', '--to', '2024-03-01'], '--from 2024-03-10 is after --to 2024-03-01'],
  [['--from', '2020-01-01', '--to', '2024-01-01'], 'is more than 366 days'],
])('status %j exits 2 and says why', (args, message) => {
  const { code, stderr } = etl(['status', '--pipeline', 'orders', ...args], unreachable);
  expect(code).toBe(2);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toContain(message);
});

test('status of an unknown pipeline exits 2 and names the known ones', () => {
  const { code, stderr } = etl(['status', '--pipeline', 'invoices'], unreachable);
  expect(code).toBe(2);
  expect(stderr).toContain('unknown pipeline "invoices"');
});
