import { WorkflowFailedError } from '@temporalio/client';
import {
  applySchedule,
  describeSchedule,
  pauseSchedule,
  scheduleHandle,
  triggerSchedule,
  unpauseSchedule,
  type ScheduledPipelineConfig,
  type ScheduledRunRecord,
} from '../../src/client/operations/schedules';
import { startOrAttach } from '../../src/client/operations/startRun';
import { provisionPipelines } from '../../src/local/provision';
import { addDays } from '../../src/shared/dates';
import { defaultTaskQueue } from '../../src/shared/ids';
import { scheduledDate } from '../../src/shared/scheduledDate';
import { searchAttributes } from '../../src/shared/searchAttributes';
import { scheduledPipeline, type ScheduledRunResult } from '../../src/workflows/scheduled';
import { landOrderFiles } from '../support/orderFiles';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { stepOf, testPipeline } from '../support/pipelines';

/** Schedules made from config, on the dev server, firing real runs through a worker, moto and the emulator. */

const sample = testPipeline();
const withSchedule = (schedule: Partial<ScheduledPipelineConfig['schedule']>): ScheduledPipelineConfig => ({
  ...sample,
  schedule: { ...sample.schedule!, ...schedule },
});
// 08:00 in New York processes the day before there: the time zone has DST, and is far from UTC.
const newYork = withSchedule({ cron: '0 8 * * *', timezone: 'America/New_York' });

let stack: PipelineStack;
beforeAll(async () => {
  stack = await startPipelineStack(newYork);
});
afterAll(() => stack?.stop());

const client = () => stack.env.client;

/** "2024-03-10 08:00" on a clock in `timeZone`. */
function clockIn(time: Date, timeZone: string): string {
  return time.toLocaleString('sv-SE', { timeZone }).slice(0, 16);
}

/** A fresh emulator with the pipeline's AWS resources, and the given dates' files landed. */
async function freshAws(dates: string[]) {
  await stack.control.reset();
  await provisionPipelines(stack.aws, [newYork]);
  await landOrderFiles(stack.aws.s3, newYork, dates);
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 100));

/** How many runs the schedule has started so far. */
async function actionsTaken(): Promise<number> {
  return (await describeSchedule(client(), 'orders')).actionsTaken;
}

/** The schedule's latest run, once it has started more than `known` runs. */
async function latestRunAfter(known: number): Promise<ScheduledRunRecord> {
  for (;;) {
    const view = await describeSchedule(client(), 'orders');
    if (view.actionsTaken > known) return view.recentRuns.at(-1)!;
    await pause();
  }
}

/** Catch-up after an outage starts the missed runs with their original scheduled times; a backfill does the same. */
async function catchUp(scheduledTime: Date): Promise<ScheduledRunResult> {
  const known = await actionsTaken();
  const hour = 3_600_000;
  await scheduleHandle(client(), 'orders').backfill({
    start: new Date(scheduledTime.getTime() - hour),
    end: new Date(scheduledTime.getTime() + hour),
  });
  const run = await latestRunAfter(known);
  expect(run.scheduledTime).toEqual(scheduledTime);
  return client().workflow.getHandle<typeof scheduledPipeline>(run.workflowId).result();
}

describe('etl schedule apply', () => {
  test('creates the schedule from the config: its cron, in its time zone, each run processing the day before', async () => {
    expect(await applySchedule(client(), newYork)).toEqual({ outcome: 'created' });

    const view = await describeSchedule(client(), 'orders');
    expect(view).toMatchObject({
      scheduleId: 'etl-orders-schedule',
      pipeline: 'orders',
      cron: '0 8 * * *',
      timezone: 'America/New_York',
      dateOffsetDays: -1,
      overlap: 'skip',
      catchupWindowMs: 86_400_000,
      jitterMs: 0,
      pauseOnFailure: false,
      paused: false,
    });
    expect(view.nextRuns.length).toBeGreaterThan(0);
    for (const { scheduledTime, date } of view.nextRuns) {
      const newYorkClock = clockIn(scheduledTime, 'America/New_York');
      expect(newYorkClock.slice(11)).toBe('08:00');
      expect(date).toBe(addDays(newYorkClock.slice(0, 10), -1));
    }
  });

  test('applying the same config again changes nothing', async () => {
    const before = await scheduleHandle(client(), 'orders').describe();

    expect(await applySchedule(client(), newYork)).toEqual({ outcome: 'unchanged' });

    const after = await scheduleHandle(client(), 'orders').describe();
    expect(after.info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
    expect(after.raw.conflictToken).toEqual(before.raw.conflictToken);
  });

  test('a changed cron updates the schedule, which stays paused if it was', async () => {
    await pauseSchedule(client(), 'orders', 'Redshift maintenance');
    const later = withSchedule({ cron: '30 9 * * *', timezone: 'America/New_York' });

    expect(await applySchedule(client(), later)).toEqual({ outcome: 'updated' });

    const view = await describeSchedule(client(), 'orders');
    expect(view).toMatchObject({ cron: '30 9 * * *', paused: true, note: 'Redshift maintenance' });
    for (const { scheduledTime } of view.nextRuns) expect(clockIn(scheduledTime, 'America/New_York').slice(11)).toBe('09:30');
    expect(await applySchedule(client(), later)).toEqual({ outcome: 'unchanged' });
  });

  test('changed policies update the schedule', async () => {
    const policies = withSchedule({ overlap: 'allow_all', catchupWindow: '2h', jitter: '30s', pauseOnFailure: true, timezone: 'Europe/London' });

    expect(await applySchedule(client(), policies)).toEqual({ outcome: 'updated' });

    expect(await describeSchedule(client(), 'orders')).toMatchObject({
      timezone: 'Europe/London',
      overlap: 'allow_all',
      catchupWindowMs: 7_200_000,
      jitterMs: 30_000,
      pauseOnFailure: true,
    });
  });

  afterAll(async () => {
    await applySchedule(client(), newYork);
    await unpauseSchedule(client(), 'orders', 'tests go on');
  });
});

describe('a scheduled run', () => {
  test.each([
    ['an ordinary day', '2024-01-16T13:00:00Z', '2024-01-15'], // 08:00 EST
    ['the day clocks spring forward', '2024-03-10T12:00:00Z', '2024-03-09'], // 08:00 EDT
    ['the first day of a year', '2025-01-01T13:00:00Z', '2024-12-31'],
  ])('caught up long after it was due, on %s, processes the date it was scheduled for', async (_, due, date) => {
    await freshAws([date]);

    const result = await catchUp(new Date(due));

    expect(result).toMatchObject({ scheduledTime: new Date(due).toISOString(), date, workflowId: `etl-orders-${date}`, outcome: 'succeeded' });
    const { glue } = await stack.control.recorded();
    expect(glue.runs.map((run) => run.arguments['--execution_date'])).toEqual([date]);
    const child = await client().workflow.getHandle(`etl-orders-${date}`).describe();
    expect(child.typedSearchAttributes.get(searchAttributes.trigger)).toBe('schedule');
  });

  test('started by trigger, processes the date of the moment it was triggered', async () => {
    // Files for the dates the run can process, whichever side of midnight in New York it is triggered on.
    const now = Date.now();
    await freshAws([...new Set([now, now + 60_000].map((time) => scheduledDate(new Date(time), newYork.schedule)))]);
    const known = await actionsTaken();

    await triggerSchedule(client(), 'orders');

    const run = await latestRunAfter(known);
    const date = scheduledDate(run.scheduledTime, newYork.schedule);
    const result = await client().workflow.getHandle<typeof scheduledPipeline>(run.workflowId).result();
    expect(result).toMatchObject({ date, workflowId: `etl-orders-${date}`, outcome: 'succeeded' });
  });

  test('for a date that already has an open run, reports it and starts no second one', async () => {
    await freshAws(['2024-02-01']);
    await stack.control.setGlueOutcomes(stepOf(newYork, 'glue').jobName, [{ pollsUntilDone: 100_000, finalState: 'SUCCEEDED' }]);
    const manual = await startOrAttach(client(), { pipeline: newYork, date: '2024-02-01', trigger: 'manual' });

    const result = await catchUp(new Date('2024-02-02T13:00:00Z'));

    expect(result).toMatchObject({ date: '2024-02-01', workflowId: 'etl-orders-2024-02-01', outcome: 'alreadyRunning' });
    const open = await client().workflow.getHandle('etl-orders-2024-02-01').describe();
    expect({ runId: open.runId, status: open.status.name }).toEqual({ runId: manual.runId, status: 'RUNNING' });
    await manual.handle.cancel();
  });

  test('with pauseOnFailure, a failed run pauses the schedule', async () => {
    await applySchedule(client(), withSchedule({ ...newYork.schedule, pauseOnFailure: true }));
    await freshAws([]); // no files: the run fails at validation

    await expect(catchUp(new Date('2024-04-02T12:00:00Z'))).rejects.toThrow(WorkflowFailedError);

    let view = await describeSchedule(client(), 'orders');
    for (; !view.paused; await pause()) view = await describeSchedule(client(), 'orders');
    // The run pauses the schedule itself (Temporal does not watch runs that may overlap), with the reason it failed.
    expect(view.note).toContain('paused because a scheduled run failed');
    expect(view.note).toContain('etl-orders-2024-04-01: Validate files (validate) failed for orders 2024-04-01: No files for orders 2024-04-01');
    await applySchedule(client(), newYork);
    await unpauseSchedule(client(), 'orders', 'the date is fixed');
  });

  test('started by hand instead of by the schedule, fails saying so', async () => {
    const run = client().workflow.execute(scheduledPipeline, {
      taskQueue: defaultTaskQueue,
      workflowId: 'etl-orders-by-hand',
      args: [{ pipeline: newYork }],
    });

    await expect(run).rejects.toThrow(WorkflowFailedError);
    await expect(run).rejects.toHaveProperty('cause.message', expect.stringContaining('runs only from a Temporal Schedule'));
  });
});
