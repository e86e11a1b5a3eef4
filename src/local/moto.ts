import { venvBinary } from './paths';
import { freePort, httpAnswers, startProcess, stopProcess, waitUntilReady } from './processes';

export interface MotoServer {
  /** http://host:port, for the SDK clients' `endpoint`. */
  endpoint: string;
  port: number;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts the moto server (S3, SNS, SQS) installed by scripts/setup, on loopback and a free port unless
 * one is given, and resolves once it answers HTTP. Its output goes to `logFile`; `stop()` ends it.
 */
export async function startMoto(options: { host?: string; port?: number } = {}): Promise<MotoServer> {
  const host = options.host ?? '127.0.0.1';
  if (options.port) return startMotoOn(host, options.port);
  // Another process can take a free port between it being found and moto binding it: moto then exits, and
  // a new port is tried.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startMotoOn(host, await freePort(host));
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

async function startMotoOn(host: string, port: number): Promise<MotoServer> {
  const endpoint = `http://${host}:${port}`;
  const server = startProcess('moto', venvBinary('moto_server'), ['-H', host, '-p', String(port)], { detached: false });
  const stop = () => stopProcess(server.pid);
  try {
    await waitUntilReady(server, () => httpAnswers(endpoint));
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, port, logFile: server.logFile, stop };
}
