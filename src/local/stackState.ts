import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsSettings } from '../worker/awsClients';
import { stateDir } from './paths';
import { isRunning, type StartedProcess } from './processes';

/** What `etl stack up` started and where it listens; read by every command that targets the local stack. */
export interface StackState {
  temporal: { address: string; namespace: string; uiUrl: string };
  aws: Required<Pick<AwsSettings, 'region' | 'credentials'>> & { endpoints: Required<NonNullable<AwsSettings['endpoints']>> };
  emulatorUrl: string;
  /** Where the Temporal UI decrypts payloads, when ETL_PAYLOAD_KEY was set for `etl stack up`. */
  codecServerUrl?: string;
  /** Where Prometheus scrapes the stack's worker. */
  metricsUrl: string;
  processes: StartedProcess[];
}

const stateFile = join(stateDir, 'stack.json');

export function readStackState(): StackState | undefined {
  if (!existsSync(stateFile)) return undefined;
  return JSON.parse(readFileSync(stateFile, 'utf8')) as StackState;
}

/** The stack's state when every process it started is still alive. */
export function runningStack(): StackState | undefined {
  const state = readStackState();
  return state && state.processes.every((p) => isRunning(p.pid)) ? state : undefined;
}

export function writeStackState(state: StackState): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
}

export function clearStackState(): void {
  rmSync(stateFile, { force: true });
}
