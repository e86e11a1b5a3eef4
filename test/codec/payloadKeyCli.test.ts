import { freePort } from '../../src/local/processes';
import { etl } from '../support/etl';

let unreachable: Record<string, string>;
beforeAll(async () => {
  // A Temporal address nobody listens on: a command that got as far as connecting would say so, not exit 2.
  unreachable = { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` };
});

test.each([[['run', '--pipeline', 'orders', '--date', '2024-01-15']], [['worker']], [['setup']], [['codec-server', '--port', '0']], [['stack', 'status']]])(
  'a malformed ETL_PAYLOAD_KEY stops `etl %s` with one line and exit 2',
  (args) => {
    const { code, stderr } = etl(args, { ...unreachable, ETL_PAYLOAD_KEY: 'c2hvcnQ=' });

    expect(code).toBe(2);
    expect(stderr.trim()).toBe('etl: ETL_PAYLOAD_KEY must be the base64 encoding of 32 random bytes (make one with `openssl rand -base64 32`)');
  },
);

test('the codec server needs ETL_PAYLOAD_KEY', () => {
  const { code, stderr } = etl(['codec-server', '--port', '0'], { ETL_PAYLOAD_KEY: '' });

  expect(code).toBe(2);
  expect(stderr.trim()).toBe('etl: the codec server decrypts with ETL_PAYLOAD_KEY: set it to the key the worker and clients use');
});

test('a malformed ETL_CODEC_SERVER_TOKEN stops the codec server with one line and exit 2', () => {
  const { code, stderr } = etl(['codec-server', '--port', '0'], {
    ETL_PAYLOAD_KEY: Buffer.alloc(32, 7).toString('base64'),
    ETL_CODEC_SERVER_TOKEN: 'short/token',
  });

  expect(code).toBe(2);
  expect(stderr.trim()).toBe('etl: ETL_CODEC_SERVER_TOKEN must be at least 32 letters, digits, "-" or "_" (make one with `openssl rand -hex 32`)');
});
