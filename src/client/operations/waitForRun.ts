import type { PipelineRunResult, RunProgress, StepProgress } from '../../shared/pipelineRun';
import { progressQuery } from '../../workflows';
import { closedRun, type ClosedRun } from './closedRun';
import { pollUntilSettled } from './pollUntilSettled';
import type { StartedRun } from './startRun';

/** How a pipeline run closed, with the last progress it reported. */
export type ClosedPipelineRun = ClosedRun<PipelineRunResult> & { progress?: RunProgress };

/**
 * Waits for the run to close, calling `onStep` once for each step as it finishes, with all the run's steps (from
 * the progress query).
 */
export async function waitForRun(run: StartedRun, onStep: (step: StepProgress, steps: StepProgress[]) => void, pollMs = 500): Promise<ClosedPipelineRun> {
  const reported = new Set<string>();
  let latest: RunProgress | undefined;
  const report = (progress: RunProgress) => {
    latest = progress;
    for (const step of progress.steps) {
      if (step.status !== 'pending' && step.status !== 'running' && !reported.has(step.step)) {
        reported.add(step.step);
        onStep(step, progress.steps);
      }
    }
  };
  const result = run.handle.result();
  await pollUntilSettled(result, () => run.handle.query(progressQuery).then(report, () => undefined), pollMs);
  // The last steps may finish between two polls: a closed workflow still answers queries.
  await run.handle.query(progressQuery).then(report, () => undefined);
  return { ...(await closedRun(run.handle, result)), progress: latest };
}
