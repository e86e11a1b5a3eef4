import { ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import { pipelineSchema, type PipelineConfig } from '../config/schema';
import { keyPath, yamlWording } from '../config/schemaIssues';
import { InvalidDateError, parseRunDate } from '../shared/dates';
import { errorTypes } from '../shared/errorTypes';
import type { Trigger } from '../shared/pipelineRun';
import { observeStep } from './lifecycle';
import { stepOptions } from './stepOptions';

const triggers = { schedule: true, manual: true, backfill: true } satisfies Record<Trigger, true>;

/** What is wrong with a run's input, in one line; undefined when the run can go ahead. */
export function runInputProblem(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return 'expected { pipeline, date, trigger }';
  const { pipeline, date, trigger } = input as Record<string, unknown>;
  try {
    parseRunDate(typeof date === 'string' ? date : String(date));
  } catch (err) {
    if (!(err instanceof InvalidDateError)) throw err;
    return `date ${err.message}`;
  }
  if (typeof trigger !== 'string' || !Object.keys(triggers).includes(trigger)) {
    return `trigger ${JSON.stringify(trigger)} is not one of ${Object.keys(triggers).join(', ')}`;
  }
  // The same schema as the config files: a client that skipped the loader gets the loader's verdict.
  const config = pipelineSchema.safeParse(pipeline, { error: yamlWording });
  if (!config.success) {
    const [issue] = config.error.issues;
    return `pipeline config: ${keyPath(issue.path) || 'the whole config'}: ${issue.message}`;
  }
  return undefined;
}

/**
 * Fails the run at once when its input is malformed, whichever client started it: one failure notification
 * naming the problem (when the input names a failure topic), then a failure that is not retried. Unchecked,
 * a bad date fails the workflow task itself (its search attribute cannot be set), over and over, unseen.
 */
export async function rejectMalformedInput(input: unknown): Promise<void> {
  const problem = runInputProblem(input);
  if (!problem) return;
  const { pipeline, date, trigger } = input as { pipeline?: Partial<PipelineConfig>; date?: unknown; trigger?: unknown };
  const message = `The run's input is invalid: ${problem}. Nothing was run; start the run again with a valid input.`;
  const topicArn = pipeline?.notifications?.failureTopicArn;
  if (typeof topicArn === 'string') {
    // The config's own step overrides may be what is broken, so the notification uses the defaults.
    const { sendNotification } = proxyActivities<PipelineActivities>(
      stepOptions({ steps: {} } as PipelineConfig, 'notify', `publish failure to ${topicArn}`),
    );
    try {
      await observeStep('notify', () =>
        sendNotification({
          pipeline: typeof pipeline?.name === 'string' ? pipeline.name : 'unknown',
          date: String(date),
          trigger: String(trigger) as Trigger,
          outcome: 'failed',
          topicArn,
          failedStep: 'input',
          error: message,
          details: [],
        }),
      );
    } catch (err) {
      log.error('Could not send the failure notification', { error: err instanceof Error ? err.message : String(err) });
    }
  } else {
    log.error('The run has no failure topic to alert', { problem });
  }
  throw ApplicationFailure.nonRetryable(message, errorTypes.InvalidRunInput);
}
