import { setFlagsFromString } from 'node:v8';

// How a worker's process is best started; the image (Dockerfile) and the local stack's supervisor start it so.
// Sized for speed by default, V8's heaps grew to hundreds of MB of garbage no collection had needed yet while
// hundreds of runs started, and glibc's allocator kept an arena per thread of freed memory: a worker with 500
// runs waiting measured about 500 MB of RSS, and about 235 MB so started (bench/waiting-runs.ts). Validation's
// throughput is the same either way (bench/validate-large.ts).

/** Node flags for the worker's command line: V8 favours heap size over speed, and collects its young generation often. */
export const workerNodeFlags = ['--optimize-for-size', '--max-semi-space-size=1'];

/** Environment for the worker's process: glibc's allocator keeps two arenas, not one per thread. Read only at start. */
export const workerEnvironment = { MALLOC_ARENA_MAX: '2' };

/**
 * For a worker started without those flags (a plain `etl worker`): applied once it runs, they still size the
 * workflow thread's heap, which V8 creates after this, the main thread's having been sized at start.
 */
export function favourHeapSize(): void {
  for (const flag of workerNodeFlags) setFlagsFromString(flag);
}
