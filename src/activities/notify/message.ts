import { stepKinds } from '../../steps/registry';
import type { Trigger } from '../../shared/pipelineRun';
import { cutToBytes, fitLines, utf8Length } from '../textBudget';

export interface NotificationInput {
  pipelineName: string;
  date: string;
  trigger: Trigger;
  outcome: 'succeeded' | 'failed';
  topicArn: string;
  /** Lines saying what each step did. */
  details: string[];
  /** The id of the step the run failed at (or `input`, `schedule` when it failed before its first step). */
  failedStep?: string;
  /** How to run the date again after its failure: from the failed step when it is not the first. Absent when the error says what to do. */
  rerun?: { fromStep?: string };
  error?: string;
}

export interface RunLocation {
  workflowId: string;
  runId: string;
  /** The run's page in the Temporal UI, when the worker knows the UI's address. */
  uiUrl?: string;
}

/**
 * SNS refuses a message over 256 KB, and a refused alert is a lost alert. Messages stay far below it: a
 * few hundred lines of error and details, then a count of the rest.
 */
export const messageLimitBytes = 64 * 1024;
/** Half the message at most, so the details of the other steps are still shown. */
const errorLimitBytes = 32 * 1024;
/** No line a person reads is longer; a longer one is cut. */
const lineLimitBytes = 2 * 1024;
/** SNS subjects are one line of fewer than 100 characters. */
const subjectLimit = 99;

export function notificationSubject(input: NotificationInput): string {
  const verdict = input.outcome === 'succeeded' ? 'succeeded' : `FAILED at ${input.failedStep}`;
  return subjectOf(`ETL ${input.pipelineName} ${input.date} ${verdict}`);
}

/** A subject SNS accepts: one line of fewer than 100 characters. */
export function subjectOf(text: string): string {
  // SNS refuses a subject with control characters: they become spaces.
  // eslint-disable-next-line no-control-regex
  const characters = Array.from(text.replace(/[\u0000-\u001f\u007f]+/g, ' '));
  return characters.length <= subjectLimit ? characters.join('') : `${characters.slice(0, subjectLimit - 1).join('')}…`;
}

/** The human-readable alert: what happened, where to look, and how to rerun; at most `messageLimitBytes`. */
export function notificationMessage(input: NotificationInput, run: RunLocation): string {
  const failed = input.outcome === 'failed';
  const head = [`Pipeline: ${input.pipelineName}`, `Date: ${input.date}`, `Trigger: ${input.trigger}`, `Outcome: ${input.outcome}`];
  if (failed) head.push(`Failed step: ${input.failedStep}`);
  const error = failed
    ? fitLines(
        `Error: ${input.error}`.split('\n'),
        errorLimitBytes,
        lineLimitBytes,
        (count) => `… ${count} more line(s) of the error: read all of it in the Temporal UI`,
      )
    : [];

  const tail = runLines(run);
  // A run that failed before its first step (its input was malformed, or its scheduled date was skipped) says in
  // its error what to do instead.
  const rerun = failed ? (input.rerun ?? earlierRerun(input.failedStep)) : undefined;
  if (rerun) {
    tail.push(`Rerun: etl run --pipeline ${input.pipelineName} --date ${input.date} --wait`);
    // The steps before the failed one completed in this run, so a rerun from it can reuse their results.
    if (rerun.fromStep) {
      tail.push(`Rerun from the failed step: etl rerun --pipeline ${input.pipelineName} --date ${input.date} --from-step ${rerun.fromStep} --wait`);
    }
  }

  return boundedMessage([...head, ...error], input.details, tail, (count) => `… ${count} more line(s): see the run in the Temporal UI`);
}

/** The lines that say which run sent a message, and where to see it. */
export function runLines(run: RunLocation): string[] {
  return [`Workflow: ${run.workflowId} (run ${run.runId})`, ...(run.uiUrl ? [`Temporal UI: ${run.uiUrl}`] : [])];
}

/**
 * `head`, then as many of `middle` as fit in `messageLimitBytes` (and a count of the rest), then `tail`, each
 * part apart by an empty line and every line cut to `lineLimitBytes`.
 */
export function boundedMessage(head: string[], middle: string[], tail: string[], hiddenNote: (count: number) => string): string {
  const before = [...head, ''].map((line) => cutToBytes(line, lineLimitBytes));
  const after = ['', ...tail].map((line) => cutToBytes(line, lineLimitBytes));
  const room = messageLimitBytes - utf8Length([...before, ...after].join('\n')) - 1;
  return [...before, ...fitLines(middle, room, lineLimitBytes, hiddenNote), ...after].join('\n');
}

/** Alerts scheduled before pipelines had step lists said only the failed step, one of the five that always ran. */
function earlierRerun(failedStep: string | undefined): NotificationInput['rerun'] {
  if (!(stepKinds as readonly (string | undefined)[]).includes(failedStep)) return undefined;
  return failedStep === 'validate' ? {} : { fromStep: failedStep };
}
