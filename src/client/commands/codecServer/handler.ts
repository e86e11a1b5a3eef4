import { exposureWarning, startCodecServer } from '../../../codec/codecServer';
import { codecServerToken, payloadCodecFromEnv } from '../../../codec/dataConverter';
import { parseInput, UsageError } from '../../errors';

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
  const token = parseInput(() => codecServerToken());
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${options.port} is not a port number`);

  const corsOrigins = options.corsOrigin
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);

  const warning = exposureWarning(options.host);
  if (warning) console.warn(warning);
  const server = await startCodecServer({ codec, host: options.host, port, corsOrigins, token });
  console.log(`Codec server listening on ${server.endpoint} for the Temporal UI at ${corsOrigins.join(', ')}`);
  console.log(`Point the UI at it: temporal server start-dev --ui-codec-endpoint ${server.endpoint} (or the UI's codec settings).`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}
