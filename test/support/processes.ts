import { readFileSync } from 'node:fs';

/** True once the process has ended. A zombie counts as ended: a container's init may never reap it. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    // /proc/<pid>/stat: "pid (command) state ..."; Z is a zombie.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').startsWith('Z');
  } catch {
    return true;
  }
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
