import { isRunning } from '../../src/local/processes';

/** True once the process has ended. A zombie counts as ended: a container's init may never reap it. */
export function processGone(pid: number): boolean {
  return !isRunning(pid);
}

/** Polls `check` until it returns something other than undefined, or fails naming what it waited for. */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, attempts = 400): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
