/** Calls `poll` every `pollMs` until `result` settles, however it settles; the caller then reads `result`. */
export async function pollUntilSettled(result: Promise<unknown>, poll: () => Promise<void>, pollMs: number): Promise<void> {
  let settled = false;
  result.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await poll();
    await Promise.race([result.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, pollMs))]);
  }
}
