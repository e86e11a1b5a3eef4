import { ExecutionClass, WorkerType } from '@aws-sdk/client-glue';
import { billedDpuSeconds, formatCost, glueDpuSeconds, glueRunCost } from '../../src/shared/glueCost';
import { executionClasses, glueWorkerTypes } from '../../src/shared/glueRunSettings';

test("the worker types and execution classes are the Glue SDK's", () => {
  expect([...glueWorkerTypes].sort()).toEqual(Object.values(WorkerType).sort());
  expect([...executionClasses].sort()).toEqual(Object.values(ExecutionClass).sort());
});

describe('DPU-seconds', () => {
  test("are Glue's own where it gives them (FLEX and auto-scaling runs), whatever the capacity", () => {
    expect(glueDpuSeconds({ dpuSeconds: 1234.5, executionTimeSeconds: 600, maxCapacity: 10 })).toBe(1234.5);
  });

  test('are otherwise the execution time × MaxCapacity', () => {
    expect(glueDpuSeconds({ executionTimeSeconds: 600, maxCapacity: 10, workerType: 'G.2X', numberOfWorkers: 10 })).toBe(6000);
  });

  test('or, without MaxCapacity, × the workers × the DPUs of their type', () => {
    expect(glueDpuSeconds({ executionTimeSeconds: 600, workerType: 'G.2X', numberOfWorkers: 10 })).toBe(12000);
    expect(glueDpuSeconds({ executionTimeSeconds: 600, workerType: 'G.025X', numberOfWorkers: 2 })).toBe(300);
  });

  test('are unknown without an execution time or a capacity', () => {
    expect(glueDpuSeconds({ maxCapacity: 10 })).toBeUndefined();
    expect(glueDpuSeconds({ executionTimeSeconds: 600 })).toBeUndefined();
    expect(glueDpuSeconds({ executionTimeSeconds: 600, workerType: 'G.99X', numberOfWorkers: 2 })).toBeUndefined();
  });
});

describe('billed DPU-seconds', () => {
  test('are those used, for a run of a minute or more', () => {
    expect(billedDpuSeconds({ executionTimeSeconds: 600, maxCapacity: 10 })).toBe(6000);
    expect(billedDpuSeconds({ dpuSeconds: 1234.5, executionTimeSeconds: 600 })).toBe(1234.5);
  });

  test("are a minute's for a shorter run: Glue's minimum billed duration", () => {
    expect(billedDpuSeconds({ executionTimeSeconds: 12, workerType: 'G.1X', numberOfWorkers: 2 })).toBe(120);
    expect(billedDpuSeconds({ executionTimeSeconds: 0, maxCapacity: 2 })).toBe(120);
    // Glue's own figure for 15 s, scaled to the minute.
    expect(billedDpuSeconds({ dpuSeconds: 30, executionTimeSeconds: 15, maxCapacity: 2 })).toBe(120);
  });

  test('are unknown when the DPUs are', () => {
    expect(billedDpuSeconds({ executionTimeSeconds: 12 })).toBeUndefined();
  });
});

describe('estimated cost', () => {
  // 36,000 DPU-seconds are 10 DPU-hours.
  test("is the DPU-hours at AWS's list price of the run's execution class by default", () => {
    expect(glueRunCost(36000, 'STANDARD')).toEqual({ amount: 4.4, currency: 'USD', dpuHourPrice: 0.44 });
    expect(glueRunCost(36000, 'FLEX')).toEqual({ amount: 2.9, currency: 'USD', dpuHourPrice: 0.29 });
  });

  test('a run of no stated class is billed as STANDARD', () => {
    expect(glueRunCost(36000, undefined).dpuHourPrice).toBe(0.44);
  });

  test("is at the pipeline's prices and currency; a price left out is the default", () => {
    const cost = { dpuHourPrice: { STANDARD: 0.5, FLEX: 0.3 }, currency: 'EUR' };
    expect(glueRunCost(36000, 'STANDARD', cost)).toEqual({ amount: 5, currency: 'EUR', dpuHourPrice: 0.5 });
    expect(glueRunCost(36000, 'FLEX', cost)).toEqual({ amount: 3, currency: 'EUR', dpuHourPrice: 0.3 });
    expect(glueRunCost(36000, 'STANDARD', { dpuHourPrice: { FLEX: 0.25 } })).toEqual({ amount: 4.4, currency: 'USD', dpuHourPrice: 0.44 });
  });

  test('is rounded to a millionth', () => {
    expect(glueRunCost(2, 'STANDARD').amount).toBe(0.000244);
    expect(glueRunCost(1234, 'FLEX').amount).toBe(0.099406);
  });

  test('prints with cents, or two significant digits when below a cent', () => {
    expect(formatCost({ amount: 4.4, currency: 'USD' })).toBe('4.40 USD');
    expect(formatCost({ amount: 0.000244, currency: 'USD' })).toBe('0.00024 USD');
    expect(formatCost({ amount: 0, currency: 'EUR' })).toBe('0.00 EUR');
  });
});
