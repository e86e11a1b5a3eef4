import { spawn, type ChildProcess } from 'node:child_process';
import { logStackEvent } from './stackLog';

/**
 * Keeps one process running for the local stack: `node supervisor.js <name> <command> [args...]` starts the
 * command, and starts it again whenever it exits, after a pause that grows while it keeps dying at once. Each
 * start and exit is a line in the stack's log. SIGTERM or SIGINT is passed on to the process, and the supervisor
 * exits once it has. The process writes to the supervisor's own output (its log file).
 */

/** A process that ran this long before it died is restarted after the shortest pause again. */
const healthyRunMs = 60_000;
const firstPauseMs = 1000;
const longestPauseMs = 30_000;

function run(): void {
  const [name, command, ...args] = process.argv.slice(2);
  if (!name || !command) throw new Error('usage: supervisor.js <name> <command> [args...]');
  let child: ChildProcess | undefined;
  let stopping = false;
  let pauseMs = firstPauseMs;
  let restart: NodeJS.Timeout | undefined;

  const start = () => {
    const startedAt = Date.now();
    // The IPC channel closes when the supervisor dies, however it dies: the process ends with it (see `etl worker`).
    child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    logStackEvent(`${name} started (pid ${child.pid})`);
    child.once('exit', (code, signal) => {
      child = undefined;
      const ran = `after ${Math.round((Date.now() - startedAt) / 1000)}s`;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (stopping) {
        logStackEvent(`${name} stopped (${how})`);
        process.exit(0);
      }
      if (Date.now() - startedAt >= healthyRunMs) pauseMs = firstPauseMs;
      const pause = pauseMs;
      pauseMs = Math.min(pauseMs * 2, longestPauseMs);
      logStackEvent(`${name} ${how} ${ran}; restarting it in ${pause / 1000}s`);
      restart = setTimeout(start, pause);
    });
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopping = true;
      clearTimeout(restart);
      if (child) child.kill('SIGTERM');
      else process.exit(0);
    });
  }
  start();
}

try {
  run();
} catch (err) {
  console.error(err);
  process.exit(1);
}
