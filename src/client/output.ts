import type { StepProgress } from '../shared/pipelineRun';
import type { RunOutcome } from './pipelineRuns';

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

export function outcomeLine(outcome: RunOutcome): string {
  return outcome.outcome === 'succeeded' ? 'Run succeeded.' : `Run ${outcome.outcome}: ${outcome.error}`;
}
