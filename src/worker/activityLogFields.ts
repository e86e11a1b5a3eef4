import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { runFields } from '../shared/runFields';

/**
 * Every activity log line, ours and the SDK's, names the run as workflow log lines do: `workflowId`,
 * `runId`, `pipeline`, `date`, and the `activity`. The task token is left out: it is a credential
 * that can complete the activity.
 */
export const activityLogFields: ActivityInterceptorsFactory = () => {
  let fields: ReturnType<typeof runFields> = {};
  return {
    inbound: {
      execute(input, next) {
        fields = runFields(input.args[0]);
        return next(input);
      },
    },
    outbound: {
      getLogAttributes({ taskToken, workflowRunId, activityType, ...attributes }, next) {
        return next({ ...attributes, runId: workflowRunId, activity: activityType, ...fields });
      },
    },
  };
};
