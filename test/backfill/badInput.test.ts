import { freePort } from '../../src/local/processes';
import { etl } from '../support/etl';

/** `etl backfill` pointed at a Temporal address nobody listens on: bad input must be refused before connecting. */
function etlBackfill(args: string[], env: Record<string, string> = {}) {
  return etl(['backfill', ...args], { ...unreachable, ...env });
}

let unreachable: Record<string, string>;
beforeAll(async () => {
  // A command that got as far as connecting would exit 1, saying it cannot reach the server.
  unreachable = { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` };
});

const orders = ['--pipeline', 'orders'];

test.each([
  [
    'a reversed range',
    [...orders, '--from', '2024-03-31', '--to', '2024-01-01'],
    'etl: date range 2024-03-31 to 2024-01-01 is reversed: the start must not be after the end',
  ],
  ['a malformed start date', [...orders, '--from', '2024-1-01', '--to', '2024-01-31'], 'etl: "2024-1-01" is not a valid date: expected YYYY-MM-DD'],
  ['an impossible end date', [...orders, '--from', '2024-02-01', '--to', '2024-02-30'], 'etl: "2024-02-30" is not a valid date: expected YYYY-MM-DD'],
  [
    'a range over the default maximum',
    [...orders, '--from', '2024-01-01', '--to', '2025-01-01'],
    'etl: 2024-01-01 to 2025-01-01 is 367 days, more than the 366 a backfill may cover',
  ],
  [
    'a range over --max-days',
    [...orders, '--from', '2024-01-01', '--to', '2024-01-31', '--max-days', '30'],
    'etl: 2024-01-01 to 2024-01-31 is 31 days, more than the 30 a backfill may cover',
  ],
  [
    'an unknown pipeline',
    ['--pipeline', 'invoices', '--from', '2024-01-01', '--to', '2024-01-31'],
    'etl: unknown pipeline "invoices": no config/pipelines/invoices.yaml (known pipelines: orders)',
  ],
  [
    'a concurrency of 0',
    [...orders, '--from', '2024-01-01', '--to', '2024-01-31', '--concurrency', '0'],
    'etl: --concurrency must be a whole number of at least 1, got "0"',
  ],
  [
    'a negative concurrency',
    [...orders, '--from', '2024-01-01', '--to', '2024-01-31', '--concurrency', '-2'],
    'etl: --concurrency must be a whole number of at least 1, got "-2"',
  ],
  [
    'a fractional concurrency',
    [...orders, '--from', '2024-01-01', '--to', '2024-01-31', '--concurrency', '1.5'],
    'etl: --concurrency must be a whole number of at least 1, got "1.5"',
  ],
])('%s exits 2 with one line and starts nothing', (_, args, message) => {
  const { code, stderr } = etlBackfill(args);
  expect(code).toBe(2);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toContain(message);
});

test('ETL_MAX_BACKFILL_DAYS sets the maximum range', () => {
  const { code, stderr } = etlBackfill([...orders, '--from', '2024-01-01', '--to', '2024-01-08'], { ETL_MAX_BACKFILL_DAYS: '7' });
  expect(code).toBe(2);
  expect(stderr).toContain('is 8 days, more than the 7 a backfill may cover: split the range, or raise --max-days (ETL_MAX_BACKFILL_DAYS)');
});

test('an unknown --only choice and missing options exit 2', () => {
  expect(etlBackfill([...orders, '--from', '2024-01-01', '--to', '2024-01-31', '--only', 'succeeded']).code).toBe(2);
  expect(etlBackfill([...orders, '--from', '2024-01-01']).code).toBe(2);
  expect(etlBackfill(['--from', '2024-01-01', '--to', '2024-01-31']).code).toBe(2);
});

test('good input gets as far as connecting', () => {
  const { code, stderr } = etlBackfill([...orders, '--from', '2024-01-01', '--to', '2024-01-31', '--concurrency', '3', '--only', 'failed']);
  expect(code).toBe(1);
  expect(stderr).toContain('cannot reach the Temporal server');
});
