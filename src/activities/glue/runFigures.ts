import type { JobRun } from '@aws-sdk/client-glue';
import { billedDpuSeconds, glueDpuSeconds, glueRunCost, type CostConfig } from '../../shared/glueCost';
import type { GlueRunFigures } from '../../shared/stepResults';

/** A finished run's capacity, DPU-seconds used and billed, and estimated cost, from GetJobRun: Glue bills a failed run too. */
export function runFigures(run: JobRun, cost: CostConfig | undefined): GlueRunFigures {
  const capacity = {
    executionClass: run.ExecutionClass,
    workerType: run.WorkerType,
    numberOfWorkers: run.NumberOfWorkers,
    maxCapacity: run.MaxCapacity,
    executionTimeSeconds: run.ExecutionTime,
    dpuSeconds: run.DPUSeconds,
  };
  const billed = billedDpuSeconds(capacity);
  return {
    ...capacity,
    dpuSeconds: glueDpuSeconds(capacity),
    billedDpuSeconds: billed,
    estimatedCost: billed === undefined ? undefined : glueRunCost(billed, run.ExecutionClass, cost),
    startedOn: run.StartedOn?.toISOString(),
    completedOn: run.CompletedOn?.toISOString(),
  };
}
