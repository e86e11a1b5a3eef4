import type { StepProgress } from '../../../shared/pipelineRun';
import { outcomeWords } from '../../outcomeWords';
import type { ClosedPipelineRun } from '../../operations/waitForRun';

const marks: Record<StepProgress['status'], string> = {
  pending: ' ',
  running: '…',
  succeeded: '✔',
  failed: '✘',
  skipped: '-',
  cancelled: '⊘',
};

/** One finished step, its title padded to the run's longest so that the statuses line up. */
export function stepLine(step: StepProgress, steps: StepProgress[]): string {
  const width = Math.max(18, ...steps.map(({ title }) => title.length));
  return `  ${marks[step.status]} ${step.title.padEnd(width)} ${step.status}${step.detail ? `: ${step.detail}` : ''}`;
}

export function outcomeLine(outcome: ClosedPipelineRun): string {
  return outcome.outcome === 'succeeded' ? 'Run succeeded.' : `Run ${outcomeWords[outcome.outcome]}: ${outcome.error}`;
}
