import { errorTypes } from '../../shared/errorTypes';
import { waitingHeartbeatTimeout } from '../../shared/waitingHeartbeats';
import { badInput, cleansUp, type StepDefinition } from '../definition';

/** The load step kind: what a step of it schedules, its activities' default options, the failures no retry fixes. */
export const loadDefinition = {
  title: 'Load to Redshift',
  activities: ['confirmNoFilesLanded', 'submitLoad', 'waitForLoad', 'cancelStatement'],
  earlierActivity: 'loadToRedshift',
  defaults: { startToCloseTimeout: '2h', heartbeatTimeout: waitingHeartbeatTimeout, maximumAttempts: 6, cancellationType: cleansUp },
  nonRetryableErrorTypes: [
    errorTypes.RedshiftStatementFailed,
    errorTypes.RedshiftStatementAborted,
    errorTypes.RowsOfAnotherDate,
    errorTypes.DuplicateKeys,
    errorTypes.DateAlreadyAppended,
    errorTypes.InvalidCopySource,
    errorTypes.FilesLandedAfterValidation,
    ...badInput,
  ],
  waitsOn: 'a Redshift statement',
} as const satisfies StepDefinition;
