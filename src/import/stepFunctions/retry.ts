import { msToNumber } from '@temporalio/common';
import { stepRetryBackoff } from '../../steps/definition';
import type { Draft } from './draft';
import type { Retrier, State } from './stateMachine';

// Amazon States Language's defaults for a retrier's fields.
const aslDefaults = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 };

// What every step's retry policy does between attempts.
const stepBackoffCoefficient = stepRetryBackoff.backoffCoefficient;
const stepMaximumIntervalSeconds = msToNumber(stepRetryBackoff.maximumInterval) / 1000;

/** A state's Retry and TimeoutSeconds as the step's options, and what the options cannot say, as notes. */
export function stepOptions(state: State): { options?: Draft; notes: string[] } {
  const notes: string[] = [];
  const options: Draft = {};
  const retrier = chosenRetrier(state.Retry ?? [], notes);
  if (retrier) {
    options.maximumAttempts = (retrier.MaxAttempts ?? aslDefaults.MaxAttempts) + 1;
    options.initialInterval = `${retrier.IntervalSeconds ?? aslDefaults.IntervalSeconds}s`;
    const backoff = retrier.BackoffRate ?? aslDefaults.BackoffRate;
    if (backoff !== stepBackoffCoefficient) notes.push(`Step Functions backed off x${backoff} between attempts; steps back off x${stepBackoffCoefficient}`);
    if (retrier.MaxDelaySeconds !== undefined && retrier.MaxDelaySeconds !== stepMaximumIntervalSeconds) {
      notes.push(`Step Functions waited at most ${retrier.MaxDelaySeconds}s between attempts; steps wait at most ${stepMaximumIntervalSeconds / 60}m`);
    }
    if (retrier.JitterStrategy === 'FULL') notes.push('Step Functions added jitter to the retries; steps retry without it');
  }
  if (typeof state.TimeoutSeconds === 'number') options.startToCloseTimeout = `${state.TimeoutSeconds}s`;
  return { ...(Object.keys(options).length > 0 && { options }), notes };
}

/** A step has one retry policy: the retrier for every error if there is one, else the first. */
function chosenRetrier(retriers: Retrier[], notes: string[]): Retrier | undefined {
  const chosen = retriers.find((retrier) => retrier.ErrorEquals?.includes('States.ALL')) ?? retriers[0];
  if (!chosen) return undefined;
  const errors = chosen.ErrorEquals ?? [];
  if (!errors.includes('States.ALL')) {
    notes.push(`Step Functions retried only ${errors.join(', ')}; the step retries every error but those no retry can fix`);
  }
  if (retriers.length > 1) notes.push(`the state had ${retriers.length} retriers; the options come from the one for ${errors.join(', ')}`);
  return chosen;
}
