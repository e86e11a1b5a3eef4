import { dpusPerWorker, executionClasses, type ExecutionClass } from './glueRunSettings';

// A Glue run's estimated cost: its billed DPU-seconds at the price per DPU-hour of its execution class. Glue
// bills per second of capacity, for at least a minute (Glue 2.0 and later; the retired 0.9 and 1.0 billed ten).

/**
 * The price of one DPU for one hour, by execution class, and the currency the prices are in: the config's `cost`,
 * whose prices may be partial, absent from configs recorded before it existed.
 */
export interface CostConfig {
  dpuHourPrice?: Partial<Record<ExecutionClass, number>>;
  currency?: string;
}

/** AWS's list prices in us-east-1; a pipeline's `cost` key replaces them (other regions and agreements differ). */
export const defaultCostSettings = { dpuHourPrice: { STANDARD: 0.44, FLEX: 0.29 }, currency: 'USD' } satisfies Required<CostConfig>;

/** What GetJobRun says about a finished run's capacity (figures it leaves out stay undefined). */
export interface GlueRunCapacity {
  executionClass?: string;
  /** Glue's own DPU-seconds: given for FLEX and auto-scaling runs. */
  dpuSeconds?: number;
  executionTimeSeconds?: number;
  maxCapacity?: number;
  workerType?: string;
  numberOfWorkers?: number;
}

export interface GlueRunCost {
  /** In `currency`. */
  amount: number;
  currency: string;
  /** The price per DPU-hour the amount was worked out at: that of the run's execution class. */
  dpuHourPrice: number;
}

/** Glue's DPU-seconds when it gives them, else the run's execution time × its DPUs (MaxCapacity, or workers × DPUs per worker). */
export function glueDpuSeconds(run: GlueRunCapacity): number | undefined {
  if (run.dpuSeconds !== undefined) return run.dpuSeconds;
  if (run.executionTimeSeconds === undefined) return undefined;
  const dpus = run.maxCapacity ?? workerDpus(run);
  return dpus === undefined ? undefined : run.executionTimeSeconds * dpus;
}

/** The shortest run Glue bills: a run that ends sooner is billed for this long. */
export const minimumBilledSeconds = 60;

/** The DPU-seconds Glue bills for the run: those it used, for at least the minimum billed duration. */
export function billedDpuSeconds(run: GlueRunCapacity): number | undefined {
  const seconds = run.executionTimeSeconds;
  if (seconds === undefined || seconds >= minimumBilledSeconds) return glueDpuSeconds(run);
  // Glue's own DPU-seconds (FLEX, auto-scaling) are scaled up with the time; otherwise the DPUs run for the minimum.
  if (run.dpuSeconds !== undefined && seconds > 0) return (run.dpuSeconds * minimumBilledSeconds) / seconds;
  return glueDpuSeconds({ ...run, dpuSeconds: undefined, executionTimeSeconds: minimumBilledSeconds });
}

function workerDpus({ workerType, numberOfWorkers }: GlueRunCapacity): number | undefined {
  if (numberOfWorkers === undefined || !workerType || !(workerType in dpusPerWorker)) return undefined;
  return numberOfWorkers * dpusPerWorker[workerType as keyof typeof dpusPerWorker];
}

/**
 * The run's estimated cost at the configured prices (a price left out, or a config recorded before the key
 * existed, gets the default). A run of no stated class is billed as STANDARD.
 */
export function glueRunCost(dpuSeconds: number, executionClass: string | undefined, config?: CostConfig): GlueRunCost {
  const runClass: ExecutionClass = executionClasses.find((name) => name === executionClass) ?? 'STANDARD';
  const dpuHourPrice = config?.dpuHourPrice?.[runClass] ?? defaultCostSettings.dpuHourPrice[runClass];
  return { amount: roundedAmount((dpuSeconds / 3600) * dpuHourPrice), currency: config?.currency ?? defaultCostSettings.currency, dpuHourPrice };
}

/** An amount rounded to a millionth, so floating-point noise never shows. */
export function roundedAmount(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}

/** "1.23 USD"; small amounts keep two significant digits ("0.00049 USD"). */
export function formatCost({ amount, currency }: Pick<GlueRunCost, 'amount' | 'currency'>): string {
  const digits = amount === 0 || amount >= 0.01 ? amount.toFixed(2) : String(Number(amount.toPrecision(2)));
  return `${digits} ${currency}`;
}
