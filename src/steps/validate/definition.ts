import { errorTypes } from '../../shared/errorTypes';
import { waitingHeartbeatTimeout } from '../../shared/waitingHeartbeats';
import { badInput, cleansUp, type StepDefinition } from '../definition';

/** The validate step kind: what a step of it schedules, its activities' default options, the failures no retry fixes. */
export const validateDefinition = {
  title: 'Validate files',
  activities: ['planValidationRound', 'validateFileBatch', 'finishValidation'],
  earlierActivity: 'validateFiles',
  // A dead worker's step is retried on another worker within its heartbeat timeout: validation heartbeats every
  // few seconds whatever it does; the waiting steps say how long the outside work may take.
  defaults: { startToCloseTimeout: '1h', heartbeatTimeout: waitingHeartbeatTimeout, maximumAttempts: 6, cancellationType: cleansUp },
  nonRetryableErrorTypes: [errorTypes.NoFilesForDate, errorTypes.InvalidFiles, ...badInput],
} as const satisfies StepDefinition;
