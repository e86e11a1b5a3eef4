import { errorTypes } from '../../shared/errorTypes';
import { waitingHeartbeatTimeout } from '../../shared/waitingHeartbeats';
import { cleansUp, type StepDefinition } from '../definition';

/** The refresh step kind: what a step of it schedules, its activities' default options, the failures no retry fixes. */
export const refreshDefinition = {
  title: 'Refresh views',
  activities: ['submitViewRefresh', 'waitForViewRefresh', 'cancelStatement'],
  earlierActivity: 'refreshViews',
  defaults: { startToCloseTimeout: '1h', heartbeatTimeout: waitingHeartbeatTimeout, maximumAttempts: 6, cancellationType: cleansUp },
  nonRetryableErrorTypes: [errorTypes.RedshiftStatementFailed, errorTypes.RedshiftStatementAborted],
  waitsOn: 'a Redshift statement',
} as const satisfies StepDefinition;
