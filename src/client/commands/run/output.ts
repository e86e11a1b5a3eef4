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

export function stepLine(step: StepProgress): string {
  return `  ${marks[step.status]} ${step.title.padEnd(18)} ${step.status}${step.detail ? `: ${step.detail}` : ''}`;
}

export function outcomeLine(outcome: ClosedPipelineRun): string {
  return outcome.outcome === 'succeeded' ? 'Run succeeded.' : `Run ${outcomeWords[outcome.outcome]}: ${outcome.error}`;
}
