import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsSettings } from '../aws/awsClients';
import { stateDir } from './paths';
import { processStatus, type StartedProcess } from './processes';
import type { StackPorts } from './stackPorts';

/** What `etl stack up` started and where it listens; read by every command that targets the local stack. */
export interface StackState {
  /** False while the stack is starting: its processes are recorded at once, so an interrupted start can be cleaned up. */
  ready: boolean;
  ports: StackPorts;
  temporal: { address: string; namespace: string; uiUrl: string };
  aws: Required<Pick<AwsSettings, 'region' | 'credentials'>> & { endpoints: Required<NonNullable<AwsSettings['endpoints']>> };
  emulatorUrl: string;
  /** Where the Temporal UI decrypts payloads, when ETL_PAYLOAD_KEY was set for `etl stack up`. */
  codecServerUrl?: string;
  /** Where Prometheus scrapes the stack's worker. */
  metricsUrl: string;
  processes: StartedProcess[];
}

/** The stack's worker: its supervisor restarts it when it dies, so commands need only the servers. */
export const supervisedWorkerName = 'worker';

const stateFile = join(stateDir, 'stack.json');

export function readStackState(): StackState | undefined {
  if (!existsSync(stateFile)) return undefined;
  return JSON.parse(readFileSync(stateFile, 'utf8')) as StackState;
}

/** The stack's processes that are not running as started (gone, or their pid now names another process). */
export function stoppedProcesses(state: StackState): StartedProcess[] {
  return state.processes.filter((p) => processStatus(p) !== 'running');
}

/** The stack's state once it is ready and its servers run; a worker being restarted does not stop commands. */
export function runningStack(): StackState | undefined {
  const state = readStackState();
  if (!state?.ready) return undefined;
  return stoppedProcesses(state).every((p) => p.name === supervisedWorkerName) ? state : undefined;
}

export function writeStackState(state: StackState): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
}

export function clearStackState(): void {
  rmSync(stateFile, { force: true });
}
