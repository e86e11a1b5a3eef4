import { errorTypes } from '../../shared/errorTypes';
import { waitingHeartbeatTimeout } from '../../shared/waitingHeartbeats';
import { badInput, cleansUp, type StepDefinition } from '../definition';

/** The sql step kind: what a step of it schedules, its activities' default options, the failures no retry fixes. */
export const sqlDefinition = {
  title: 'Run SQL',
  activities: ['submitSql', 'waitForSql', 'cancelStatement'],
  defaults: { startToCloseTimeout: '1h', heartbeatTimeout: waitingHeartbeatTimeout, maximumAttempts: 6, cancellationType: cleansUp },
  nonRetryableErrorTypes: [errorTypes.RedshiftStatementFailed, errorTypes.RedshiftStatementAborted, errorTypes.DataQualityCheckFailed, ...badInput],
  waitsOn: 'a Redshift statement',
} as const satisfies StepDefinition;
