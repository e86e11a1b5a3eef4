import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { pipelineWorkflowId } from '../../shared/ids';
import { runSummary, type NewRunInput } from '../../shared/pipelineRun';
import { searchAttributes } from '../../shared/searchAttributes';
import { pipelineRun } from '../../workflows';
import { runDetails } from './runDetails';

export interface StartedRun {
  handle: WorkflowHandle<typeof pipelineRun>;
  workflowId: string;
  runId: string;
  /** True when a run for this date was already open and we attached to it instead of starting another. */
  attached: boolean;
}

/**
 * Starts the date's run, or attaches to the one already running: one date has at most one open run.
 * With `uiUrl`, the run's details in the Temporal UI link to the pipeline's other runs.
 */
export async function startOrAttach(client: Client, input: NewRunInput, uiUrl?: string): Promise<StartedRun> {
  const workflowId = pipelineWorkflowId(input.pipeline.name, input.date);
  try {
    const handle = await client.workflow.start(pipelineRun, {
      taskQueue: input.pipeline.taskQueue,
      workflowId,
      args: [input],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: [
        { key: searchAttributes.pipeline, value: input.pipeline.name },
        { key: searchAttributes.date, value: new Date(`${input.date}T00:00:00Z`) },
        { key: searchAttributes.trigger, value: input.trigger },
      ],
      staticSummary: runSummary(input),
      staticDetails: runDetails(input, { namespace: client.options.namespace, uiUrl }),
    });
    return { handle, workflowId, runId: handle.firstExecutionRunId, attached: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const handle = client.workflow.getHandle<typeof pipelineRun>(workflowId);
    const { runId } = await handle.describe();
    return { handle: client.workflow.getHandle<typeof pipelineRun>(workflowId, runId), workflowId, runId, attached: true };
  }
}
