import { parseArgs } from 'node:util';
import { startEmulator } from './server';

/** Runs the emulator on its own: `node lib/local/emulator/main.js --port 4599 --host 127.0.0.1`. */
async function run(): Promise<void> {
  const { values } = parseArgs({
    options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '4599' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0-65535), got "${values.port}"`);

  const emulator = await startEmulator({ host: values.host, port });
  console.log(`Glue + Redshift Data emulator listening on ${emulator.url}`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      emulator.close().then(() => process.exit(0), () => process.exit(1));
    });
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
