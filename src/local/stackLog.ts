import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { logDir } from './paths';

/** What happened to the local stack as a whole: starts, stops, a worker restarted, a process left alone. */
export const stackLogFile = join(logDir, 'stack.log');

export function logStackEvent(message: string): void {
  mkdirSync(logDir, { recursive: true });
  appendFileSync(stackLogFile, `${new Date().toISOString()} ${message}\n`);
}
