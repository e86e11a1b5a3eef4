import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { pipelineWorkflowId } from '../shared/ids';
import { runSummary, type PipelineRunInput, type PipelineRunResult, type RunProgress, type StepProgress } from '../shared/pipelineRun';
import { searchAttributes } from '../shared/searchAttributes';
import { runUiUrl } from '../shared/temporalUi';
import { dailyPipeline, progressQuery } from '../workflows';
import { closedRun, type ClosedRun } from './closedRun';
import { runDetails } from './runDescription';
import { pollUntilSettled } from './pollUntilSettled';

export interface StartedRun {
  handle: WorkflowHandle<typeof dailyPipeline>;
  workflowId: string;
  runId: string;
  /** True when a run for this date was already open and we attached to it instead of starting another. */
  attached: boolean;
}

/**
 * Starts the date's run, or attaches to the one already running: one date has at most one open run.
 * With `uiUrl`, the run's details in the Temporal UI link to the pipeline's other runs.
 */
export async function startOrAttach(client: Client, input: PipelineRunInput, uiUrl?: string): Promise<StartedRun> {
  const workflowId = pipelineWorkflowId(input.pipeline.name, input.date);
  try {
    const handle = await client.workflow.start(dailyPipeline, {
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
    const handle = client.workflow.getHandle<typeof dailyPipeline>(workflowId);
    const { runId } = await handle.describe();
    return { handle: client.workflow.getHandle<typeof dailyPipeline>(workflowId, runId), workflowId, runId, attached: true };
  }
}

/** How a pipeline run closed, with the last progress it reported. */
export type ClosedPipelineRun = ClosedRun<PipelineRunResult> & { progress?: RunProgress };

/**
 * Waits for the run to close, calling `onStep` once for each step as it finishes (from the progress query).
 */
export async function waitForRun(run: StartedRun, onStep: (step: StepProgress) => void, pollMs = 500): Promise<ClosedPipelineRun> {
  const reported = new Set<string>();
  let latest: RunProgress | undefined;
  const report = (progress: RunProgress) => {
    latest = progress;
    for (const step of progress.steps) {
      if (step.status !== 'pending' && step.status !== 'running' && !reported.has(step.step)) {
        reported.add(step.step);
        onStep(step);
      }
    }
  };
  const result = run.handle.result();
  await pollUntilSettled(result, () => run.handle.query(progressQuery).then(report, () => undefined), pollMs);
  // The last steps may finish between two polls: a closed workflow still answers queries.
  await run.handle.query(progressQuery).then(report, () => undefined);
  return { ...(await closedRun(run.handle, result)), progress: latest };
}

/** Where the Temporal UI is and which namespace it shows: a Target has both. */
export interface RunLinks {
  uiUrl?: string;
  namespace: string;
}

export function runLink(uiUrl: string | undefined, namespace: string, run: Pick<StartedRun, 'workflowId' | 'runId'>): string | undefined {
  return uiUrl && runUiUrl(uiUrl, namespace, run.workflowId, run.runId);
}
