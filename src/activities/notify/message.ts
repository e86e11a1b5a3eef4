import type { Trigger } from '../../shared/pipelineRun';

export interface NotificationInput {
  pipeline: string;
  date: string;
  trigger: Trigger;
  outcome: 'succeeded' | 'failed';
  topicArn: string;
  /** Lines saying what each step did. */
  details: string[];
  failedStep?: string;
  error?: string;
}

export interface RunLocation {
  workflowId: string;
  runId: string;
  /** The run's page in the Temporal UI, when the worker knows the UI's address. */
  uiUrl?: string;
}

export function notificationSubject(input: NotificationInput): string {
  const verdict = input.outcome === 'succeeded' ? 'succeeded' : `FAILED at ${input.failedStep}`;
  // SNS subjects are limited to 100 characters.
  return `ETL ${input.pipeline} ${input.date} ${verdict}`.slice(0, 100);
}

/** The human-readable alert: what happened, where to look, and how to rerun. */
export function notificationMessage(input: NotificationInput, run: RunLocation): string {
  const lines = [
    `Pipeline: ${input.pipeline}`,
    `Date: ${input.date}`,
    `Trigger: ${input.trigger}`,
    `Outcome: ${input.outcome}`,
  ];
  if (input.outcome === 'failed') {
    lines.push(`Failed step: ${input.failedStep}`, `Error: ${input.error}`);
  }
  lines.push('', ...input.details, '', `Workflow: ${run.workflowId} (run ${run.runId})`);
  if (run.uiUrl) lines.push(`Temporal UI: ${run.uiUrl}`);
  if (input.outcome === 'failed') {
    lines.push(`Rerun: etl run --pipeline ${input.pipeline} --date ${input.date} --wait`);
    // The steps before the failed one completed in this run, so a rerun from it can reuse their results.
    if (input.failedStep && input.failedStep !== 'validate') {
      lines.push(`Rerun from the failed step: etl rerun --pipeline ${input.pipeline} --date ${input.date} --from-step ${input.failedStep} --wait`);
    }
  }
  return lines.join('\n');
}
