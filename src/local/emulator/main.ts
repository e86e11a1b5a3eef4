import { parseArgs } from 'node:util';
import { startEmulator } from './server';

/**
 * Runs the emulator on its own: `node lib/local/emulator/main.js --port 4599 --host 127.0.0.1`, and with
 * `--s3-endpoint http://127.0.0.1:4566` (plus the region and the local S3's credentials) for the local S3
 * that Glue job scripts work against. `--python` runs .py job scripts (default: the project's venv);
 * `--glue-log-dir` keeps each run's output in <dir>/<job>/<run id>.log. `--redshift-data-dir` keeps the local
 * Redshift's databases in that folder (one per workgroup or cluster and database), so tables outlive the process.
 */
async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '4599' },
      's3-endpoint': { type: 'string' },
      's3-region': { type: 'string', default: 'us-east-1' },
      's3-access-key-id': { type: 'string' },
      's3-secret-access-key': { type: 'string' },
      python: { type: 'string' },
      'glue-log-dir': { type: 'string' },
      'redshift-data-dir': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0-65535), got "${values.port}"`);
  const { 's3-endpoint': endpoint, 's3-region': region, 's3-access-key-id': accessKeyId, 's3-secret-access-key': secretAccessKey } = values;
  if (endpoint && !(accessKeyId && secretAccessKey))
    throw new Error("--s3-endpoint needs --s3-access-key-id and --s3-secret-access-key (the local S3's credentials)");

  const emulator = await startEmulator({
    host: values.host,
    port,
    s3: endpoint ? { endpoint, region, credentials: { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! } } : undefined,
    glue: { python: values.python, logDir: values['glue-log-dir'] },
    redshift: { dataDir: values['redshift-data-dir'] },
  });
  console.log(`Glue + Redshift Data emulator listening on ${emulator.url}`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      emulator.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
