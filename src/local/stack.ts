import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { payloadCodecFromEnv } from '../codec/dataConverter';
import { defaultTaskQueue } from '../shared/ids';
import { searchAttributeDeclarations } from '../shared/searchAttributes';
import { logDir, stateDir, venvBinary } from './paths';
import { httpAnswers, isPortFree, startProcess, stopProcess, waitUntilReady, type StartedProcess } from './processes';
import { terminateOrphanedRuns } from './orphanedRuns';
import { clearStackState, readStackState, runningStack, writeStackState, type StackState } from './stackState';

/** Fixed loopback ports, so the UI link and `temporal` CLI defaults work: Temporal's own, two for AWS, the worker's metrics. */
export const stackPorts = { temporal: 7233, temporalUi: 8233, moto: 4566, emulator: 4567, workerMetrics: 9464 };
/** The codec server's port, used only when payloads are encrypted (ETL_PAYLOAD_KEY is set). */
const codecServerPort = 8888;
const host = '127.0.0.1';
const region = 'us-east-1';
/** moto takes any credentials; every client of the local stack, job scripts included, uses these. */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const cliPath = join(__dirname, '..', 'client', 'cli.js');

export interface StackUpResult {
  state: StackState;
  /** False when the stack was already running and was reused as it is. */
  started: boolean;
  /** Workflow ids of runs an earlier stack left open, terminated because they could not finish. */
  terminated: string[];
}

/** Starts the Temporal dev server, moto, the Glue/Redshift emulator and a worker, unless they already run. */
export async function stackUp(): Promise<StackUpResult> {
  const existing = runningStack();
  if (existing) return { state: existing, started: false, terminated: [] };
  await stackDown(); // a half-dead stack from an earlier session

  // With encrypted payloads the UI shows them through the codec server, which holds the key.
  const codecServerUrl = payloadCodecFromEnv() && `http://${host}:${codecServerPort}`;
  const ports = { ...stackPorts, ...(codecServerUrl && { codecServer: codecServerPort }) };
  for (const [name, port] of Object.entries(ports)) {
    if (!(await isPortFree(port, host))) {
      throw new Error(`port ${port} on ${host} (${name}) is already in use: stop whatever listens there, then retry`);
    }
  }

  const started: StartedProcess[] = [];
  try {
    const temporal = startProcess(
      'temporal',
      venvBinary('temporal'),
      [
        'server', 'start-dev',
        '--ip', host,
        '--port', String(stackPorts.temporal),
        '--ui-port', String(stackPorts.temporalUi),
        '--db-filename', join(stateDir, 'temporal.db'),
        '--log-level', 'warn',
        ...searchAttributeDeclarations().flatMap((declaration) => ['--search-attribute', declaration]),
        ...(codecServerUrl ? ['--ui-codec-endpoint', codecServerUrl] : []),
      ],
      { detached: true },
    );
    started.push(temporal);
    const moto = startProcess('moto', venvBinary('moto_server'), ['-H', host, '-p', String(stackPorts.moto)], { detached: true });
    started.push(moto);
    const motoUrl = `http://${host}:${stackPorts.moto}`;
    const emulator = startProcess(
      'emulator',
      process.execPath,
      [
        join(__dirname, 'emulator', 'main.js'),
        '--host', host,
        '--port', String(stackPorts.emulator),
        // Glue job scripts read and write the local S3; Redshift's COPY reads it.
        '--s3-endpoint', motoUrl,
        '--s3-region', region,
        '--s3-access-key-id', credentials.accessKeyId,
        '--s3-secret-access-key', credentials.secretAccessKey,
        '--glue-log-dir', join(logDir, 'glue'),
        // Tables survive `etl stack down`, as Temporal's history does; deleting the folder while the stack is down resets them.
        '--redshift-data-dir', join(stateDir, 'redshift'),
      ],
      { detached: true },
    );
    started.push(emulator);
    const codecServer =
      codecServerUrl &&
      startProcess('codec-server', process.execPath, [cliPath, 'codec-server', '--host', host, '--port', String(codecServerPort)], {
        detached: true,
      });
    if (codecServer) started.push(codecServer);

    const emulatorUrl = `http://${host}:${stackPorts.emulator}`;
    const address = `${host}:${stackPorts.temporal}`;
    const metricsAddress = `${host}:${stackPorts.workerMetrics}`;
    await Promise.all([
      waitUntilReady(moto, () => httpAnswers(`${motoUrl}/moto-api/`)),
      waitUntilReady(emulator, () => httpAnswers(`${emulatorUrl}/_emulator/recorded`)),
      waitUntilReady(temporal, () => temporalAnswers(address)),
      codecServer && waitUntilReady(codecServer, () => httpAnswers(codecServerUrl)),
    ]);

    const state: StackState = {
      temporal: { address, namespace: 'default', uiUrl: `http://${host}:${stackPorts.temporalUi}` },
      aws: {
        region,
        credentials,
        endpoints: { s3: motoUrl, sns: motoUrl, sqs: motoUrl, glue: emulatorUrl, redshiftData: emulatorUrl },
      },
      emulatorUrl,
      codecServerUrl,
      metricsUrl: `http://${metricsAddress}/metrics`,
      processes: started,
    };
    writeStackState(state);
    const terminated = await terminateOrphanedRuns(address, state.temporal.namespace);

    // The stack's own worker, so `etl run --wait` works without a second terminal.
    const worker = startProcess('worker', process.execPath, [cliPath, 'worker', '--local-stack', '--metrics-address', metricsAddress], {
      detached: true,
    });
    started.push(worker);
    writeStackState(state);
    await waitUntilReady(worker, () => workerPolls(address));
    return { state, started: true, terminated };
  } catch (err) {
    await Promise.all(started.map((p) => stopProcess(p.pid)));
    throw err;
  }
}

/** Stops whatever the last `stackUp` started. The Temporal database file is kept, so history survives. */
export async function stackDown(): Promise<StartedProcess[]> {
  const state = readStackState();
  if (!state) return [];
  await Promise.all(state.processes.map((p) => stopProcess(p.pid)));
  clearStackState();
  return state.processes;
}

async function temporalAnswers(address: string): Promise<boolean> {
  return withConnection(address, async (connection) => {
    await connection.workflowService.getSystemInfo({});
    return true;
  });
}

async function workerPolls(address: string): Promise<boolean> {
  return withConnection(address, async (connection) => {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: defaultTaskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return pollers.length > 0;
  });
}

async function withConnection<T>(address: string, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}
