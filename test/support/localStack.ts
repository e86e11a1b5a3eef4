import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isPortFree, isRunning, stopProcess } from '../../src/local/processes';
import { stackPortVariables } from '../../src/local/stackPorts';
import type { StackState } from '../../src/local/stackState';

/**
 * The environment of a local stack of a test's own: every port free and its state folder temporary, set the way a
 * user moves the stack (the ETL_STACK_* variables), so it never meets the stack on the default ports.
 */
export interface TestLocalStack {
  env: Record<string, string>;
  ports: number[];
  stateDir: string;
  /** The state file `etl stack up` wrote, if any. */
  state(): StackState | undefined;
  /** The stack's log: its starts, stops and worker restarts. */
  log(): string;
  /** Every live process that belongs to this stack, found by its state folder or ports on its command line. */
  processes(): { pid: number; commandLine: string }[];
  /** The ports still taken. */
  takenPorts(): Promise<number[]>;
  /** Stops whatever of the stack a failed test left, and deletes the state folder. */
  cleanUp(): Promise<void>;
}

export async function testLocalStack(): Promise<TestLocalStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'etl-stack-'));
  const env: Record<string, string> = { ETL_STACK_STATE_DIR: stateDir };
  const ports: number[] = [];
  for (const variable of Object.values(stackPortVariables)) {
    const port = await freePort();
    ports.push(port);
    env[variable] = String(port);
  }
  const stateFile = join(stateDir, 'stack.json');
  const logFile = join(stateDir, 'logs', 'stack.log');
  const ownArguments = (arg: string) => arg.includes(stateDir) || ports.some((port) => arg === String(port) || arg.endsWith(`:${port}`));
  const processes = () =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
      .flatMap((entry) => {
        try {
          if (!isRunning(Number(entry))) return [];
          const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
          return args.some(ownArguments) ? [{ pid: Number(entry), commandLine: args.join(' ').trim() }] : [];
        } catch {
          return []; // ended while being read
        }
      });
  return {
    env,
    ports,
    stateDir,
    state: () => (existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as StackState) : undefined),
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    processes,
    takenPorts: async () => {
      const free = await Promise.all(ports.map((port) => isPortFree(port)));
      return ports.filter((_, i) => !free[i]);
    },
    cleanUp: async () => {
      await Promise.all(processes().map(({ pid }) => stopProcess(pid, 1000)));
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
