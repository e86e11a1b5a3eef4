import { patched, workflowInfo } from '@temporalio/workflow';
import { glueStartInput } from '../../shared/activityInputs';
import { formatCost } from '../../shared/glueCost';
import { glueRunKey } from '../../shared/ids';
import type { GlueRunResult } from '../../shared/stepResults';
import { glueStep } from '../../workflows/waitingSteps';
import { activities } from '../../workflows/activityProxy';
import type { KindRun } from '../run';

export const glueRun: KindRun<'glue'> = {
  summary: (step, { date }) => `run Glue job ${step.jobName} for ${date}`,
  run(step, context, options) {
    const { pipeline, date, trigger, showDetails } = context;
    const { workflowId, runId } = workflowInfo();
    // The first Glue step keeps the run key runs had before a pipeline could have several.
    const runKey = step.id === 'glue' ? glueRunKey(workflowId, runId) : `${glueRunKey(workflowId, runId)}/${step.id}`;
    // Runs that scheduled the step as one long polling activity before waiting held no slot replay as they ran.
    return patched('glue-waits-without-slot')
      ? glueStep({ pipeline, step, date }, { runKey, trigger }, this.summary(step, context), showDetails)
      : activities(options).runGlueJob({ ...glueStartInput(pipeline, step, date, runKey, trigger), pollInterval: step.pollInterval });
  },
  describe: describeGlue,
};

export function describeGlue(result: GlueRunResult): string {
  const how = result.adopted ? 'adopted run' : 'run';
  const time = result.executionTimeSeconds !== undefined ? ` in ${result.executionTimeSeconds}s` : '';
  const capacity = [result.executionClass, result.workerType && result.numberOfWorkers && `${result.numberOfWorkers} × ${result.workerType}`].filter(Boolean);
  const on = capacity.length ? ` (${capacity.join(', ')})` : '';
  const billed =
    result.billedDpuSeconds !== undefined && result.billedDpuSeconds > (result.dpuSeconds ?? 0)
      ? ` (${Math.round(result.billedDpuSeconds)} billed: Glue's one-minute minimum)`
      : '';
  const dpu = result.dpuSeconds !== undefined ? `, ${Math.round(result.dpuSeconds)} DPU-seconds${billed}` : '';
  const cost = result.estimatedCost ? `, est. ${formatCost(result.estimatedCost)}` : '';
  const cleared = result.previousOutput?.objects ? `; ${result.previousOutput.objects} earlier output object(s) ${result.previousOutput.action}` : '';
  return `${how} ${result.jobRunId} ${result.state}${time}${on}${dpu}${cost}${cleared}`;
}
