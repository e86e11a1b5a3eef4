type Environment = Record<string, string | undefined>;

/**
 * How much one worker takes on at once, each set by its `etl worker` flag or environment variable. Temporal's
 * defaults size a worker for many short workflow tasks and long activities; a pipeline worker's runs mostly
 * wait without a slot or a place in the cache, and its memory grows with what it does at once, so the defaults
 * stay small.
 */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentWorkflowTaskExecutions: number;
}

export interface TuningSetting {
  flag: string;
  env: string;
  fallback: number;
  min: number;
  description: string;
}

export const tuningSettings: Record<keyof WorkerTuning, TuningSetting> = {
  // A waiting run is woken only when its step's check succeeds, so runs seldom need to stay cached; an evicted
  // one replays its short history when it is woken. Temporal's default grows with the heap limit (2000+ here),
  // each cached run holding its whole input and pipeline config.
  maxCachedWorkflows: {
    flag: 'max-cached-workflows',
    env: 'ETL_MAX_CACHED_WORKFLOWS',
    fallback: 100,
    min: 0,
    description: 'runs kept in memory between their workflow tasks',
  },
  // Activities are short (starts, checks, a date's validation, which checks its files four at a time); more of
  // them at once than a few per core only adds sockets, stream buffers and memory. Temporal's default is 100.
  maxConcurrentActivityTaskExecutions: {
    flag: 'max-concurrent-activities',
    env: 'ETL_MAX_CONCURRENT_ACTIVITIES',
    fallback: 20,
    min: 1,
    description: 'activities run at once',
  },
  // Workflow tasks run one at a time on the worker's workflow thread; more in hand only queue. Temporal's is 40.
  maxConcurrentWorkflowTaskExecutions: {
    flag: 'max-concurrent-workflow-tasks',
    env: 'ETL_MAX_CONCURRENT_WORKFLOW_TASKS',
    fallback: 10,
    min: 2,
    description: 'workflow tasks in hand at once',
  },
};

/** The setting's value from its text (a flag's or a variable's), checked: a typo fails the start rather than being ignored. */
export function tuningValue({ fallback, min }: TuningSetting, text: string | undefined, source: string): number {
  const trimmed = text?.trim();
  const value = trimmed ? Number(trimmed) : fallback;
  if (!Number.isInteger(value) || value < min) throw new Error(`${source} is "${text}": give a whole number of at least ${min}, or leave it out for ${fallback}`);
  return value;
}

/** The worker's tuning from the environment, for workers started without the command line (tests). */
export function workerTuningFromEnv(env: Environment = process.env): WorkerTuning {
  const entries = Object.entries(tuningSettings).map(([key, setting]) => [key, tuningValue(setting, env[setting.env], setting.env)]);
  return Object.fromEntries(entries) as WorkerTuning;
}
