import type pino from 'pino';

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/**
 * While the worker runs, at debug level, its memory every `intervalMs` in MB: the whole process (rss), the main
 * thread's V8 heap (activities; the workflow thread has a heap of its own, inside rss only) and the buffers
 * outside any heap. What rss holds beyond them is native: the Temporal core, V8's compilers, malloc's free lists.
 * Returns the function that stops it.
 */
export function logMemoryUsage(logger: pino.Logger, intervalMs = 10_000): () => void {
  if (!logger.isLevelEnabled('debug')) return () => undefined;
  const timer = setInterval(() => {
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
    const memoryMb = { rss: mb(rss), mainHeapTotal: mb(heapTotal), mainHeapUsed: mb(heapUsed), external: mb(external), arrayBuffers: mb(arrayBuffers) };
    logger.debug({ memoryMb }, 'worker memory');
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
