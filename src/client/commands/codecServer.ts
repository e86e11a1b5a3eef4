import { startCodecServer } from '../../codec/codecServer';
import { payloadCodecFromEnv } from '../../codec/dataConverter';
import { UsageError } from '../errors';

export interface CodecServerCommandOptions {
  host: string;
  port: string;
  /** Comma-separated. */
  corsOrigin: string;
}

/** Serves the payload codec to the Temporal UI until SIGINT or SIGTERM. */
export async function codecServerCommand(options: CodecServerCommandOptions) {
  const codec = payloadCodecFromEnv();
  if (!codec) throw new UsageError('the codec server decrypts with ETL_PAYLOAD_KEY: set it to the key the worker and clients use');
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${options.port} is not a port number`);

  const corsOrigins = options.corsOrigin.split(',').map((origin) => origin.trim()).filter(Boolean);

  const server = await startCodecServer({ codec, host: options.host, port, corsOrigins });
  console.log(`Codec server listening on ${server.url} for the Temporal UI at ${corsOrigins.join(', ')}`);
  console.log(`Point the UI at it: temporal server start-dev --ui-codec-endpoint ${server.url} (or the UI's codec settings).`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}
