import type { Trigger } from './pipelineRun';

// How a Glue run is sized and bounded, as StartJobRun takes it: the step's own settings, and those its run's
// trigger overrides (a backfill on FLEX, say). Plain data and functions, so the workflow can resolve them.

/** Glue's worker types (the SDK's WorkerType) and the DPUs one worker of each maps to, as Glue bills them. */
export const dpusPerWorker = {
  'G.025X': 0.25,
  'G.1X': 1,
  'G.2X': 2,
  'G.4X': 4,
  'G.8X': 8,
  'G.12X': 12,
  'G.16X': 16,
  'R.1X': 1,
  'R.2X': 2,
  'R.4X': 4,
  'R.8X': 8,
  'Z.2X': 2,
  Standard: 1,
} as const;

export type GlueWorkerType = keyof typeof dpusPerWorker;

export const glueWorkerTypes = Object.keys(dpusPerWorker) as [GlueWorkerType, ...GlueWorkerType[]];

/** Glue's execution classes: FLEX runs on spare capacity, may start later, and costs less per DPU-hour. */
export const executionClasses = ['STANDARD', 'FLEX'] as const;

export type ExecutionClass = (typeof executionClasses)[number];

/** What StartJobRun is told about the run; a setting left out is the job definition's. */
export interface GlueRunSettings {
  executionClass?: ExecutionClass;
  workerType?: GlueWorkerType;
  numberOfWorkers?: number;
  /** Minutes after which Glue stops the run and ends it TIMEOUT (Glue's Timeout). */
  timeout?: number;
}

/** A Glue step's settings as configured: its own, and per trigger the ones that replace them. */
export interface ConfiguredGlueRunSettings extends GlueRunSettings {
  forTrigger?: Partial<Record<Trigger, GlueRunSettings>>;
}

/** The settings a run started by `trigger` gets: the trigger's override over the step's own, key by key. */
export function glueRunSettings(glue: ConfiguredGlueRunSettings, trigger?: Trigger): GlueRunSettings {
  const override = trigger ? glue.forTrigger?.[trigger] : undefined;
  const settings: GlueRunSettings = {};
  for (const key of ['executionClass', 'workerType', 'numberOfWorkers', 'timeout'] as const) {
    const value = override?.[key] ?? glue[key];
    if (value !== undefined) Object.assign(settings, { [key]: value });
  }
  return settings;
}
