import type { GlueRunResult } from '../../src/shared/stepResults';
import { describeGlue } from '../../src/steps/glue/run';

const run: GlueRunResult = { jobRunId: 'jr_1', jobName: 'transform-orders', adopted: false, state: 'SUCCEEDED', executionTimeSeconds: 600 };

test("the Glue step's detail says how the run ran, its DPU-seconds and its estimated cost", () => {
  const flex = {
    ...run,
    executionClass: 'FLEX',
    workerType: 'G.2X',
    numberOfWorkers: 4,
    dpuSeconds: 4800.4,
    estimatedCost: { amount: 0.386667, currency: 'USD', dpuHourPrice: 0.29 },
  };

  expect(describeGlue(flex)).toBe('run jr_1 SUCCEEDED in 600s (FLEX, 4 × G.2X), 4800 DPU-seconds, est. 0.39 USD');
});

test('a run recorded before the figures existed is described as before', () => {
  expect(describeGlue({ ...run, dpuSeconds: 1200 })).toBe('run jr_1 SUCCEEDED in 600s, 1200 DPU-seconds');
});

test('a run shorter than a minute says what Glue bills for it', () => {
  const short = {
    ...run,
    executionTimeSeconds: 12,
    dpuSeconds: 24,
    billedDpuSeconds: 120,
    estimatedCost: { amount: 0.014667, currency: 'USD', dpuHourPrice: 0.44 },
  };

  expect(describeGlue(short)).toBe("run jr_1 SUCCEEDED in 12s, 24 DPU-seconds (120 billed: Glue's one-minute minimum), est. 0.01 USD");
});
