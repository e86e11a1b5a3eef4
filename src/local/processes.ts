import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { logDir } from './paths';

export interface StartedProcess {
  name: string;
  pid: number;
  logFile: string;
  /**
   * When the process started, as the system reports it: with the pid, it tells this process from another that
   * got the same pid later, so a stale state file never leads to stopping an unrelated program.
   */
  startTime?: string;
}

/**
 * Starts a server process whose output goes to a log file. Detached processes outlive this one
 * (`etl stack up`) and lead their own process group, which is stopped as a whole; attached ones are stopped with it.
 */
export function startProcess(name: string, command: string, args: string[], options: { detached: boolean; env?: Record<string, string> }): StartedProcess {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: options.detached, stdio: ['ignore', out, out], env: { ...process.env, ...options.env } });
  closeSync(out);
  if (options.detached) child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  return { name, pid: child.pid, logFile, startTime: processStartTime(child.pid) };
}

/** True while the pid names a live process (a zombie, which a container's init may never reap, has ended). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (command) state ..."; Z is a zombie.
    return !readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .startsWith('Z');
  } catch {
    return process.platform !== 'linux';
  }
}

/** The process's start time: clock ticks since boot from /proc on Linux, `ps`'s start time elsewhere. */
function processStartTime(pid: number): string | undefined {
  try {
    if (process.platform === 'linux')
      return readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /s, '')
        .split(' ')[19];
    return execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** What the pid of a process this project started names now. */
export type ProcessStatus = 'running' | 'gone' | 'another process';

export function processStatus(started: StartedProcess): ProcessStatus {
  if (!isRunning(started.pid)) return 'gone';
  const startTime = processStartTime(started.pid);
  return started.startTime !== undefined && startTime === started.startTime ? 'running' : 'another process';
}

/**
 * Stops a detached process and its process group, once its identity is checked: a pid that now names another
 * process is left alone. Says what it found.
 */
export async function stopStartedProcess(started: StartedProcess, graceMs = 5000): Promise<ProcessStatus> {
  const status = processStatus(started);
  if (status === 'running') await stopProcess(-started.pid, graceMs);
  return status;
}

/**
 * SIGTERM, then SIGKILL if the process has not gone after the grace period. A negative pid is a process group
 * (`-leader`): the group gets the signals, and whatever of it outlives its leader is killed.
 */
export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  const leader = Math.abs(pid);
  if (!isRunning(leader)) return;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isRunning(leader) && Date.now() < deadline) await sleep(50);
  if (isRunning(leader) || pid < 0) signal(pid, 'SIGKILL');
}

/** Sends a signal to a process or group that may have ended meanwhile. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Polls `probe` until it resolves true, or fails with a message that points at the log. */
export async function waitUntilReady(
  process_: StartedProcess,
  probe: () => Promise<boolean>,
  { timeoutMs = 60_000, signal: abort }: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    abort?.throwIfAborted();
    if (!isRunning(process_.pid)) throw new Error(`${process_.name} exited during start-up; see ${process_.logFile}`);
    if (await probe().catch(() => false)) return;
    await sleep(100, abort);
  }
  throw new Error(`${process_.name} did not become ready in ${timeoutMs / 1000}s; see ${process_.logFile}`);
}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, host, () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
  });
}

export async function httpAnswers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.status < 500;
}

/** Resolves after `ms`, or as soon as `abort` fires. */
function sleep(ms: number, abort?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    abort?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      abort?.removeEventListener('abort', done);
      resolve();
    }
  });
}
