import { ActivityCancellationType } from '@temporalio/common';
import { errorTypes } from '../../shared/errorTypes';
import { badInput, type StepDefinition } from '../definition';

/** The partitions step kind: what a step of it schedules, its activities' default options, the failures no retry fixes. */
export const partitionsDefinition = {
  title: 'Register partition',
  activities: ['registerPartition'],
  defaults: { startToCloseTimeout: '5m', maximumAttempts: 6, cancellationType: ActivityCancellationType.TRY_CANCEL },
  nonRetryableErrorTypes: [errorTypes.GlueTableNotFound, errorTypes.InvalidPartitionValues, ...badInput],
} as const satisfies StepDefinition;
