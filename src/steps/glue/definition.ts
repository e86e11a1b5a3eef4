import { errorTypes } from '../../shared/errorTypes';
import { waitingHeartbeatTimeout } from '../../shared/waitingHeartbeats';
import { badInput, cleansUp, type StepDefinition } from '../definition';

/** The glue step kind: what a step of it schedules, its activities' default options, the failures no retry fixes. */
export const glueDefinition = {
  title: 'Run Glue job',
  activities: ['startGlueJobRun', 'waitForGlueJobRun', 'stopGlueJobRun'],
  earlierActivity: 'runGlueJob',
  // The extra attempts keep retrying GlueConcurrentRunsExceeded for about 45 minutes while the job's other runs finish.
  defaults: { startToCloseTimeout: '6h', heartbeatTimeout: waitingHeartbeatTimeout, maximumAttempts: 13, cancellationType: cleansUp },
  nonRetryableErrorTypes: [errorTypes.GlueJobFailed, errorTypes.GlueJobNotFound, errorTypes.UnsafeCopySource, errorTypes.InvalidCopySource, ...badInput],
  waitsOn: 'a Glue run',
} as const satisfies StepDefinition;
