import { runCost } from '../../src/client/operations/runCost';
import type { GlueRunResult } from '../../src/shared/stepResults';

const glue: GlueRunResult = {
  jobRunId: 'jr_1',
  jobName: 'transform-orders',
  adopted: false,
  state: 'SUCCEEDED',
  estimatedCost: { amount: 0.386667, currency: 'EUR', dpuHourPrice: 0.29 },
};

test("a run's cost is what its Glue step recorded, in the pipeline's currency", () => {
  const validate = { files: [], rowsValidated: 0, previouslyValidatedFiles: 0 };
  expect(runCost({ validate, glue })).toEqual({ amount: 0.386667, currency: 'EUR' });
});

test('a run that did not get past validation, or recorded before the estimate existed, has no cost', () => {
  expect(runCost({})).toBeUndefined();
  expect(runCost({ glue: { ...glue, estimatedCost: undefined } })).toBeUndefined();
});
