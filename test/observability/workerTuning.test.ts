import { workerTuningFromEnv } from '../../src/worker/tuning';

test('the worker takes small defaults, and each one from its environment variable', () => {
  expect(workerTuningFromEnv({})).toEqual({ maxCachedWorkflows: 100, maxConcurrentActivityTaskExecutions: 20, maxConcurrentWorkflowTaskExecutions: 10 });
  expect(workerTuningFromEnv({ ETL_MAX_CACHED_WORKFLOWS: '0', ETL_MAX_CONCURRENT_ACTIVITIES: ' 64 ', ETL_MAX_CONCURRENT_WORKFLOW_TASKS: '4' })).toEqual({
    maxCachedWorkflows: 0,
    maxConcurrentActivityTaskExecutions: 64,
    maxConcurrentWorkflowTaskExecutions: 4,
  });
});

test('a value that is not a whole number in range stops the worker with the variable named', () => {
  expect(() => workerTuningFromEnv({ ETL_MAX_CONCURRENT_ACTIVITIES: '20x' })).toThrow(
    'ETL_MAX_CONCURRENT_ACTIVITIES is "20x": give a whole number of at least 1, or leave it out for 20',
  );
  expect(() => workerTuningFromEnv({ ETL_MAX_CONCURRENT_WORKFLOW_TASKS: '1' })).toThrow('at least 2');
});
