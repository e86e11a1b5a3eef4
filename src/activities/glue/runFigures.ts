import type { JobRun } from '@aws-sdk/client-glue';
import { glueDpuSeconds, glueRunCost, type CostConfig } from '../../shared/glueCost';
import type { GlueRunFigures } from '../../shared/stepResults';

/** A finished run's capacity, DPU-seconds and estimated cost, as GetJobRun gives them: Glue bills a failed run too. */
export function runFigures(run: JobRun, cost: CostConfig | undefined): GlueRunFigures {
  const capacity = {
    executionClass: run.ExecutionClass,
    workerType: run.WorkerType,
    numberOfWorkers: run.NumberOfWorkers,
    maxCapacity: run.MaxCapacity,
    executionTimeSeconds: run.ExecutionTime,
    dpuSeconds: run.DPUSeconds,
  };
  const dpuSeconds = glueDpuSeconds(capacity);
  return {
    ...capacity,
    dpuSeconds,
    estimatedCost: dpuSeconds === undefined ? undefined : glueRunCost(dpuSeconds, run.ExecutionClass, cost),
    startedOn: run.StartedOn?.toISOString(),
    completedOn: run.CompletedOn?.toISOString(),
  };
}
