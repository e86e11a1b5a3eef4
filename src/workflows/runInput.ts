import { ApplicationFailure, log, patched, proxyActivities } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import type * as RunInputCheck from '../config/runInput';
import type { PipelineConfig } from '../config/schema';
import { errorTypes } from '../shared/errorTypes';
import type { Trigger } from '../shared/pipelineRun';
import { observeStep } from './lifecycle';
import { stepOptions } from './stepOptions';

// A plain activity, not a local one: with a local activity here, a run whose check outlasted its first workflow
// task recorded the patch markers after it in the next task, and no longer replayed.
const { checkRunInput } = proxyActivities<PipelineActivities>({ startToCloseTimeout: '10s', retry: { maximumAttempts: 3 } });

/** What is wrong with a run's input; undefined when the run can go ahead. */
async function runInputProblem(input: unknown): Promise<string | undefined> {
  // An activity checks it in the worker's main thread, where the config schema (zod) is loaded once.
  if (patched('run-input-checked-by-activity')) return checkRunInput(input);
  // Runs that checked it in the sandbox replay so; only they load the schema here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../config/runInput') as typeof RunInputCheck).runInputProblem(input);
}

/**
 * Fails the run at once when its input is malformed, whichever client started it: one failure notification
 * naming the problem (when the input names a failure topic), then a failure that is not retried. Unchecked,
 * a bad date fails the workflow task itself (its search attribute cannot be set), over and over, unseen.
 */
export async function rejectMalformedInput(input: unknown): Promise<void> {
  const problem = await runInputProblem(input);
  if (!problem) return;
  const { pipeline, date, trigger } = input as { pipeline?: Partial<PipelineConfig>; date?: unknown; trigger?: unknown };
  const message = `The run's input is invalid: ${problem}. Nothing was run; start the run again with a valid input.`;
  const topicArn = pipeline?.notifications?.failureTopicArn;
  if (typeof topicArn === 'string') {
    // The config's own step options may be what is broken, so the notification uses the defaults.
    const notify = { id: 'notify', kind: 'notify', options: {} } as const;
    const { sendNotification } = proxyActivities<PipelineActivities>(stepOptions(notify, `publish failure to ${topicArn}`));
    try {
      await observeStep(notify, () =>
        sendNotification({
          pipelineName: typeof pipeline?.name === 'string' ? pipeline.name : 'unknown',
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
