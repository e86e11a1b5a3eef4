import { ActivityCancellationType } from '@temporalio/common';
import { errorTypes } from '../../shared/errorTypes';
import type { StepDefinition } from '../definition';

/** The notify step kind: what a step of it schedules, its activities' default options, the failures no retry fixes. */
export const notifyDefinition = {
  title: 'Send notification',
  activities: ['sendNotification'],
  // One Publish, which the SDK does not retry: an attempt lost with its worker is retried this soon.
  defaults: { startToCloseTimeout: '20s', maximumAttempts: 6, cancellationType: ActivityCancellationType.TRY_CANCEL },
  nonRetryableErrorTypes: [errorTypes.InvalidParameterException, errorTypes.NotFoundException, errorTypes.AuthorizationErrorException],
  // Each run sends its own notification.
  reusable: false,
} as const satisfies StepDefinition;
