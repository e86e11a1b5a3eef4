import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { logDir } from './paths';

export interface StartedProcess {
  name: string;
  pid: number;
  logFile: string;
}

/**
 * Starts a server process whose output goes to a log file. Detached processes outlive this one
 * (`etl stack up`); attached ones are stopped with it.
 */
export function startProcess(name: string, command: string, args: string[], options: { detached: boolean }): StartedProcess {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: options.detached, stdio: ['ignore', out, out] });
  closeSync(out);
  if (options.detached) child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  return { name, pid: child.pid, logFile };
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL if the process has not gone after the grace period. */
export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  if (!isRunning(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isRunning(pid) && Date.now() < deadline) await sleep(100);
  if (isRunning(pid)) process.kill(pid, 'SIGKILL');
}

/** Polls `probe` until it resolves true, or fails with a message that points at the log. */
export async function waitUntilReady(process_: StartedProcess, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(process_.pid)) throw new Error(`${process_.name} exited during start-up; see ${process_.logFile}`);
    if (await probe().catch(() => false)) return;
    await sleep(250);
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
