import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { runFields } from '../shared/runFields';

/**
 * Registered as workflow interceptors by the worker: every workflow log line carries the run's pipeline and
 * date, and every workflow metric its pipeline. What a run logs and counts is in ./lifecycle.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  let fields: ReturnType<typeof runFields> = {};
  return {
    inbound: [
      {
        execute(input, next) {
          fields = runFields(input.args[0]);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        getLogAttributes: (attributes, next) => next({ ...attributes, ...fields }),
        getMetricTags: (tags, next) => next({ ...tags, ...(fields.pipeline && { pipeline: fields.pipeline }) }),
      },
    ],
  };
};
