import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { applySchedule, scheduleHandle, type ScheduledPipelineConfig } from '../../src/client/operations/schedules';
import { latestRunsByDate } from '../../src/client/operations/runHistory';
import { statusSummary } from '../../src/client/commands/status/output';
import { provisionPipelines } from '../../src/local/provision';
import { addDays } from '../../src/shared/dates';
import { pipelineScheduleId } from '../../src/shared/ids';
import { searchAttributes } from '../../src/shared/searchAttributes';
import type { scheduledPipeline, ScheduledRunResult } from '../../src/workflows/scheduled';
import { receiveNotifications } from '../support/notifications';
import { landOrderFiles } from '../support/orderFiles';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { stepOf, testPipeline } from '../support/pipelines';

/**
 * A scheduled date that falls due while an earlier scheduled date still runs: it waits (buffer_all) or is skipped
 * with a record and an alert (skip); never dropped silently. And the date's run outlives the scheduled run that
 * started it. On the dev server, with real runs through a worker, moto and the emulator.
 */

const sample = testPipeline();
const withOverlap = (overlap: ScheduledPipelineConfig['schedule']['overlap']): ScheduledPipelineConfig => ({
  ...sample,
  schedule: { ...sample.schedule!, cron: '0 8 * * *', timezone: 'UTC', overlap },
});

let stack: PipelineStack;
beforeAll(async () => {
  stack = await startPipelineStack(sample);
});
afterAll(() => stack?.stop());

const client = () => stack.env.client;
const pause = () => new Promise((resolve) => setTimeout(resolve, 100));

/** Polls `read` until it returns something. */
async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    await pause();
  }
}

/** Applies the schedule, and gives the AWS side fresh state with the dates' files landed and Glue's next outcomes. */
async function prepare(pipeline: ScheduledPipelineConfig, dates: string[], glue: { pollsUntilDone: number }[]) {
  await applySchedule(client(), pipeline);
  await stack.control.reset();
  await provisionPipelines(stack.aws, [pipeline]);
  await landOrderFiles(stack.aws.s3, pipeline, dates);
  await stack.control.setGlueOutcomes(
    stepOf(pipeline, 'glue').jobName,
    glue.map((outcome) => ({ ...outcome, finalState: 'SUCCEEDED' })),
  );
  // The scripted Glue runs write no output, so the load is scripted to finish too: these tests are about dates, not rows.
  await stack.control.setRedshiftRules([{ match: '^CREATE TEMP TABLE', records: [] }]);
}

/** The scheduled run Temporal starts for the 08:00 UTC fire of `day`, as a catch-up after an outage would. */
async function fire(day: string): Promise<string> {
  const scheduledTime = new Date(`${day}T08:00:00Z`);
  await scheduleHandle(client(), 'orders').backfill({ start: new Date(scheduledTime.getTime() - 60_000), end: new Date(scheduledTime.getTime() + 60_000) });
  // Temporal names each run <schedule id>-<scheduled time>.
  return `${pipelineScheduleId('orders')}-${scheduledTime.toISOString().replace('.000Z', 'Z')}`;
}

/** Waits until the date's run is at its Glue step and the scheduled run that started it is listed as running. */
async function runningAtGlue(date: string, scheduledRun: string): Promise<void> {
  await eventually(async () => {
    const run = await client()
      .workflow.getHandle(`etl-orders-${date}`)
      .describe()
      .catch(() => undefined);
    return run?.typedSearchAttributes.get(searchAttributes.step) === 'glue' ? run : undefined;
  });
  await eventually(async () => {
    for await (const run of client().workflow.list({ query: `WorkflowId = '${scheduledRun}' AND ExecutionStatus = 'Running'` })) return run;
    return undefined;
  });
}

/** Cancels the date's run and waits until it has stopped its Glue run, so the next test starts from a quiet emulator. */
async function cancelDate(date: string): Promise<void> {
  const handle = client().workflow.getHandle(`etl-orders-${date}`);
  await handle.cancel();
  await handle.result().catch(() => undefined);
}

async function statusOf(workflowId: string): Promise<string> {
  return (await client().workflow.getHandle(workflowId).describe()).status.name;
}

const resultOf = (workflowId: string) =>
  eventually(() =>
    client()
      .workflow.getHandle<typeof scheduledPipeline>(workflowId)
      .result()
      .catch((err) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }),
  );

describe('overlap skip', () => {
  test('a date due while the day before still runs is skipped: recorded for etl status, alerted once, the running date untouched', async () => {
    await prepare(withOverlap('skip'), ['2024-05-01', '2024-05-02'], [{ pollsUntilDone: 100_000 }]);
    const first = await fire('2024-05-02');
    await runningAtGlue('2024-05-01', first);

    const second = await fire('2024-05-03');
    const result: ScheduledRunResult = await resultOf(second);

    expect(result).toMatchObject({ date: '2024-05-02', outcome: 'skipped' });
    expect(result.reason).toContain(`the scheduled run ${first} (for 2024-05-01) was still running when 2024-05-02 fell due`);
    const alerts = await receiveNotifications(stack.aws.sqs, stack.queueUrl, 1);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ TopicArn: sample.notifications.failureTopicArn, Subject: 'ETL orders 2024-05-02 FAILED at schedule' });
    expect(alerts[0].Message).toContain('etl run --pipeline orders --date 2024-05-02 --wait');
    // What `etl status` reads: the skipped date, and the earlier one still running.
    const statuses = await eventually(async () => {
      const rows = await latestRunsByDate(client(), 'orders', '2024-05-01', '2024-05-02');
      return rows[1].outcome === 'skipped' ? rows : undefined;
    });
    expect(statuses.map(({ date, outcome, trigger }) => ({ date, outcome, trigger }))).toEqual([
      { date: '2024-05-01', outcome: 'running', trigger: 'schedule' },
      { date: '2024-05-02', outcome: 'skipped', trigger: 'schedule' },
    ]);
    expect(statusSummary('orders', statuses)).toBe('orders 2024-05-01 to 2024-05-02: 1 running, 1 skipped');
    // Nothing ran for the skipped date, and the running date goes on.
    await expect(client().workflow.getHandle('etl-orders-2024-05-02').describe()).rejects.toThrow(WorkflowNotFoundError);
    expect((await stack.control.recorded()).glue.runs.map((run) => run.arguments['--execution_date'])).toEqual(['2024-05-01']);
    expect(await statusOf('etl-orders-2024-05-01')).toBe('RUNNING');
    await cancelDate('2024-05-01');
  });
});

describe('overlap buffer_all', () => {
  test('a date due while the day before still runs waits for it, then runs', async () => {
    await prepare(withOverlap('buffer_all'), ['2024-06-01', '2024-06-02'], [{ pollsUntilDone: 100_000 }, { pollsUntilDone: 1 }]);
    const first = await fire('2024-06-02');
    await runningAtGlue('2024-06-01', first);
    const second = await fire('2024-06-03');

    await cancelDate('2024-06-01');

    await expect(client().workflow.getHandle(first).result()).rejects.toThrow(WorkflowFailedError);
    expect(await resultOf(second)).toMatchObject({ date: '2024-06-02', outcome: 'succeeded' });
    const earlier = await client().workflow.getHandle('etl-orders-2024-06-01').describe();
    const later = await client().workflow.getHandle('etl-orders-2024-06-02').describe();
    expect(later.startTime.getTime()).toBeGreaterThanOrEqual(earlier.closeTime!.getTime());
    expect((await stack.control.recorded()).glue.runs.map((run) => run.arguments['--execution_date'])).toEqual(['2024-06-01', '2024-06-02']);
  });
});

describe("the date's run outlives the scheduled run that started it", () => {
  test.each([
    ['terminated', 'TERMINATED', '2024-07-01', (id: string) => client().workflow.getHandle(id).terminate('as terminate_other would')],
    ['cancelled', 'CANCELLED', '2024-07-11', (id: string) => client().workflow.getHandle(id).cancel()],
  ])('when the scheduled run is %s, the date runs on', async (_, closedStatus, date, close) => {
    await prepare(withOverlap('allow_all'), [date], [{ pollsUntilDone: 100_000 }]);
    const scheduledRun = await fire(addDays(date, 1));
    await runningAtGlue(date, scheduledRun);

    await close(scheduledRun);

    await eventually(async () => ((await statusOf(scheduledRun)) === closedStatus ? true : undefined));
    expect(await statusOf(`etl-orders-${date}`)).toBe('RUNNING');
    const [glueRun, ...others] = (await stack.control.recorded()).glue.runs;
    expect(others).toEqual([]);
    expect(['STARTING', 'RUNNING']).toContain(glueRun.state);
    await cancelDate(date);
  });
});
