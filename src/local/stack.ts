import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { codecServerEndpoint, payloadCodecFromEnv } from '../codec/dataConverter';
import { defaultTaskQueue } from '../shared/ids';
import { searchAttributeDeclarations } from '../shared/searchAttributes';
import { endRunsThatCannotResume, type RunThatCannotResume } from './orphanedRuns';
import { logDir, stateDir, venvBinary } from './paths';
import { httpAnswers, isPortFree, startProcess, stopStartedProcess, waitUntilReady, type StartedProcess } from './processes';
import { logStackEvent } from './stackLog';
import { stackPortsFromEnv, type StackPorts } from './stackPorts';
import { clearStackState, readStackState, stoppedProcesses, supervisedWorkerName, writeStackState, type StackState } from './stackState';
import { workerEnvironment, workerNodeFlags } from '../worker/processSettings';

export { stackPorts } from './stackPorts';

const host = '127.0.0.1';
const region = 'us-east-1';
/** moto takes any credentials; every client of the local stack, job scripts included, uses these. */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const cliPath = join(__dirname, '..', 'client', 'cli.js');
/** moto and the emulator keep the emulated AWS (files, Glue runs, statements) in memory. */
const emulatedAwsServers: ReadonlySet<string> = new Set(['moto', 'emulator']);

export interface StackUpResult {
  state: StackState;
  /** True when this call started the stack; false when it was running already. */
  started: boolean;
  /** Processes of a running stack that had stopped and were started again. */
  restarted: string[];
  /** Runs an earlier stack left open whose outside work was lost with its emulated AWS: terminated. */
  ended: RunThatCannotResume[];
}

/**
 * Starts the Temporal dev server, moto, the Glue/Redshift emulator and a supervised worker. A running stack is
 * kept, and whatever of it stopped is started again; only when moto or the emulator stopped does the whole stack
 * start afresh, since their state is gone. Aborting `signal` stops what this call started and rejects.
 */
export async function stackUp({ signal }: { signal?: AbortSignal } = {}): Promise<StackUpResult> {
  const previous = readStackState();
  if (previous?.ready) {
    const stopped = stoppedProcesses(previous);
    if (!stopped.some((p) => emulatedAwsServers.has(p.name))) {
      const restarted = stopped.map((p) => p.name);
      if (restarted.length) {
        logStackEvent(`restarting what stopped: ${restarted.join(', ')}`);
        await startProcesses(previous, restarted, signal);
      }
      return { state: previous, started: false, restarted, ended: [] };
    }
  }
  await stackDown(); // a half-dead or half-started stack
  return startStack(stackPortsFromEnv(), signal);
}

async function startStack(ports: StackPorts, signal: AbortSignal | undefined): Promise<StackUpResult> {
  // With encrypted payloads the UI shows them through the codec server, which holds the key.
  const state = stackStateFor(ports, Boolean(payloadCodecFromEnv()));
  const { codecServer, ...alwaysUsed } = ports;
  for (const [name, port] of Object.entries({ ...alwaysUsed, ...(state.codecServerUrl && { codecServer }) })) {
    if (!(await isPortFree(port, host))) {
      throw new Error(
        `port ${port} on ${host} (${name}) is already in use: stop whatever listens there, or move the stack's port with its ETL_STACK_*_PORT variable, then retry`,
      );
    }
  }
  try {
    await startProcesses(state, ['temporal', 'moto', 'emulator', ...(state.codecServerUrl ? ['codec-server'] : [])], signal);
    const ended = await endRunsThatCannotResume(state.temporal.address, state.temporal.namespace);
    signal?.throwIfAborted();
    // Commands can use the stack from here on; the worker is supervised, not needed for them.
    state.ready = true;
    writeStackState(state);
    await startProcesses(state, [supervisedWorkerName], signal);
    logStackEvent('local stack ready');
    return { state, started: true, restarted: [], ended };
  } catch (err) {
    await stopAll(state.processes);
    clearStackState();
    logStackEvent(`start-up ${signal?.aborted ? 'interrupted' : 'failed'}: stopped what it started`);
    throw err;
  }
}

/**
 * Starts the named processes of the stack, records them in its state file at once (so an interrupted start can
 * be cleaned up by `etl stack down`), and waits until each answers. On failure or abort, stops them again.
 */
async function startProcesses(state: StackState, names: string[], signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  const started: StartedProcess[] = [];
  try {
    for (const name of names) {
      state.processes = state.processes.filter((p) => p.name !== name);
      const startedProcess = stackProcess(state, name).start();
      state.processes.push(startedProcess);
      started.push(startedProcess);
    }
    writeStackState(state);
    logStackEvent(`started ${started.map((p) => `${p.name === supervisedWorkerName ? "the worker's supervisor" : p.name} (pid ${p.pid})`).join(', ')}`);
    await Promise.all(started.map((p) => waitUntilReady(p, stackProcess(state, p.name).answers, { signal })));
  } catch (err) {
    await stopAll(started);
    throw err;
  }
}

/** How each of the stack's processes starts, and how it shows it is ready. */
function stackProcess(state: StackState, name: string): { start: () => StartedProcess; answers: () => Promise<boolean> } {
  const { ports } = state;
  const motoUrl = state.aws.endpoints.s3;
  switch (name) {
    case 'temporal':
      return {
        start: () =>
          startProcess(
            name,
            venvBinary('temporal'),
            [
              'server',
              'start-dev',
              '--ip',
              host,
              '--port',
              String(ports.temporal),
              '--ui-port',
              String(ports.temporalUi),
              '--db-filename',
              join(stateDir, 'temporal.db'),
              '--log-level',
              'warn',
              ...searchAttributeDeclarations().flatMap((declaration) => ['--search-attribute', declaration]),
              ...(state.codecServerUrl ? ['--ui-codec-endpoint', state.codecServerUrl] : []),
            ],
            { detached: true },
          ),
        answers: () => withConnection(state.temporal.address, async (connection) => Boolean(await connection.workflowService.getSystemInfo({}))),
      };
    case 'moto':
      return {
        start: () => startProcess(name, venvBinary('moto_server'), ['-H', host, '-p', String(ports.moto)], { detached: true }),
        answers: () => httpAnswers(`${motoUrl}/moto-api/`),
      };
    case 'emulator':
      return {
        start: () =>
          startProcess(
            name,
            process.execPath,
            [
              join(__dirname, 'emulator', 'main.js'),
              '--host',
              host,
              '--port',
              String(ports.emulator),
              // Glue job scripts read and write the local S3; Redshift's COPY reads it.
              '--s3-endpoint',
              motoUrl,
              '--s3-region',
              region,
              '--s3-access-key-id',
              credentials.accessKeyId,
              '--s3-secret-access-key',
              credentials.secretAccessKey,
              '--glue-log-dir',
              join(logDir, 'glue'),
              // Tables survive `etl stack down`, as Temporal's history does; deleting the folder while the stack is down resets them.
              '--redshift-data-dir',
              join(stateDir, 'redshift'),
            ],
            { detached: true },
          ),
        answers: () => httpAnswers(`${state.emulatorUrl}/_emulator/recorded`),
      };
    case 'codec-server':
      return {
        start: () =>
          startProcess(
            name,
            process.execPath,
            // The stack's UI, wherever its port was moved, is the page that calls the codec server.
            [
              cliPath,
              'codec-server',
              '--host',
              host,
              '--port',
              String(ports.codecServer),
              '--cors-origin',
              `${state.temporal.uiUrl},http://localhost:${ports.temporalUi}`,
            ],
            { detached: true },
          ),
        answers: () => httpAnswers(state.codecServerUrl!),
      };
    case supervisedWorkerName:
      // The stack's own worker, so `etl run --wait` works without a second terminal; restarted when it dies.
      return {
        start: () =>
          startProcess(
            name,
            process.execPath,
            [
              join(__dirname, 'supervisor.js'),
              name,
              process.execPath,
              ...workerNodeFlags,
              cliPath,
              'worker',
              '--local-stack',
              '--metrics-address',
              `${host}:${ports.workerMetrics}`,
            ],
            // The supervisor's environment is the worker's.
            { detached: true, env: workerEnvironment },
          ),
        answers: () => workerPolls(state.temporal.address),
      };
    default:
      throw new Error(`the local stack has no process named ${name}`);
  }
}

function stackStateFor(ports: StackPorts, encryptedPayloads: boolean): StackState {
  const url = (port: number) => `http://${host}:${port}`;
  const motoUrl = url(ports.moto);
  const emulatorUrl = url(ports.emulator);
  return {
    ready: false,
    ports,
    temporal: { address: `${host}:${ports.temporal}`, namespace: 'default', uiUrl: url(ports.temporalUi) },
    aws: { region, credentials, endpoints: { s3: motoUrl, sns: motoUrl, sqs: motoUrl, glue: emulatorUrl, logs: emulatorUrl, redshiftData: emulatorUrl } },
    emulatorUrl,
    codecServerUrl: encryptedPayloads ? codecServerEndpoint(url(ports.codecServer)) : undefined,
    metricsUrl: `${url(ports.workerMetrics)}/metrics`,
    processes: [],
  };
}

export interface StackDownResult {
  stopped: StartedProcess[];
  /** Recorded processes whose pid now names another process: left running. */
  leftAlone: StartedProcess[];
}

/**
 * Stops what the last `stackUp` started, each process only once its pid is checked to still name it. The
 * Temporal database file and the Redshift tables are kept, so history survives.
 */
export async function stackDown(): Promise<StackDownResult> {
  const state = readStackState();
  if (!state) return { stopped: [], leftAlone: [] };
  const found = await stopAll(state.processes);
  clearStackState();
  const stopped = state.processes.filter((_, i) => found[i] === 'running');
  const leftAlone = state.processes.filter((_, i) => found[i] === 'another process');
  for (const p of leftAlone) logStackEvent(`left pid ${p.pid} running: it is no longer the stack's ${p.name} (another process has that pid)`);
  logStackEvent(stopped.length ? `stopped ${stopped.map((p) => p.name).join(', ')}` : 'stack down: nothing was running');
  return { stopped, leftAlone };
}

/** The worker first, so it does not see the servers go; then the rest at once. */
async function stopAll(processes: StartedProcess[]) {
  const worker = processes.find((p) => p.name === supervisedWorkerName);
  const workerStatus = worker && (await stopStartedProcess(worker));
  return Promise.all(processes.map(async (p) => (p === worker ? workerStatus! : stopStartedProcess(p))));
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
