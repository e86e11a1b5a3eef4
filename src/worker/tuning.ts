type Environment = Record<string, string | undefined>;

/**
 * How much one worker takes on at once, each set by its environment variable. Temporal's defaults size a
 * worker for many short workflow tasks and long activities; a pipeline worker's runs mostly wait without a
 * slot or a place in the cache, and its memory grows with what it does at once, so the defaults stay small.
 */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentWorkflowTaskExecutions: number;
}

const settings: Record<keyof WorkerTuning, { env: string; fallback: number; min: number }> = {
  // A waiting run is woken only when its step's check succeeds, so runs seldom need to stay cached; an evicted
  // one replays its short history when it is woken. Temporal's default grows with the heap limit (2000+ here),
  // each cached run holding its whole input and pipeline config.
  maxCachedWorkflows: { env: 'ETL_MAX_CACHED_WORKFLOWS', fallback: 100, min: 0 },
  // Activities are short (starts, checks, a date's validation, which checks its files four at a time); more of
  // them at once than a few per core only adds sockets, stream buffers and memory. Temporal's default is 100.
  maxConcurrentActivityTaskExecutions: { env: 'ETL_MAX_CONCURRENT_ACTIVITIES', fallback: 20, min: 1 },
  // Workflow tasks run one at a time on the worker's workflow thread; more in hand only queue. Temporal's is 40.
  maxConcurrentWorkflowTaskExecutions: { env: 'ETL_MAX_CONCURRENT_WORKFLOW_TASKS', fallback: 10, min: 2 },
};

/** The worker's tuning from the environment, each value checked: a typo fails the start rather than being ignored. */
export function workerTuningFromEnv(env: Environment = process.env): WorkerTuning {
  const tuning = {} as WorkerTuning;
  for (const [key, { env: name, fallback, min }] of Object.entries(settings) as [keyof WorkerTuning, (typeof settings)[keyof WorkerTuning]][]) {
    const text = env[name]?.trim();
    const value = text ? Number(text) : fallback;
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} is "${text}": give a whole number of at least ${min}, or unset it for ${fallback}`);
    tuning[key] = value;
  }
  return tuning;
}
