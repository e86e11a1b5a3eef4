import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { readStamp } from '../../src/activities/validation/s3Moves';
import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun } from '../../src/client/operations/waitForRun';
import { runSql } from '../../src/redshift/runSql';
import { redshiftOf } from '../../src/shared/activityInputs';
import type { ValidationResult } from '../../src/shared/stepResults';
import { listKeys, putObject } from '../support/aws';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { testPipeline, withStep } from '../support/pipelines';
import { ordersHeader } from '../support/orderFiles';

// A fleet shares a big date: two workers serve the pipeline's task queue, and a date of twelve files, in
// batches of one, is checked by both. Counted as a user would: who took the batches (the run's history), the
// objects in S3, the rows in the local Redshift, and the run's current details while it validates.

const pipeline = withStep(testPipeline(), 'validate', { batch: { files: 1, atOnce: 3 } });
const date = '2024-08-01';
const secondWorker = 'second-worker-of-the-fleet';

let stack: PipelineStack;
let connection: NativeConnection;
let worker: Worker;
let workerRunning: Promise<void>;
let showedProgress: () => void;
const progressShown = new Promise<void>((resolve) => (showedProgress = resolve));
const progressLine = new RegExp(`^\\*\\*Validate files\\*\\* for orders ${date}: \\d+ of 12 files, [\\d.]+ of [\\d.]+ kB checked$`);
beforeAll(async () => {
  // One activity at a time on each worker: while one holds a batch, its poller waits for the slot, so the
  // batches scheduled with it go to the other worker, whichever the server would have picked.
  const tuning = process.env.ETL_MAX_CONCURRENT_ACTIVITIES;
  process.env.ETL_MAX_CONCURRENT_ACTIVITIES = '1';
  try {
    stack = await startPipelineStack(pipeline);
  } finally {
    if (tuning === undefined) delete process.env.ETL_MAX_CONCURRENT_ACTIVITIES;
    else process.env.ETL_MAX_CONCURRENT_ACTIVITIES = tuning;
  }
  // The second worker holds its first batch until the run's current details have shown progress, so the
  // test sees the details count batches done by the other worker, however quickly the rest goes.
  const activities = createActivities({ ...stack.aws, temporal: stack.env.client });
  // A connection of its own, as a worker of another process has.
  connection = await NativeConnection.connect({ address: stack.env.address });
  worker = await Worker.create({
    connection,
    namespace: stack.env.namespace ?? 'default',
    taskQueue: pipeline.taskQueue,
    identity: secondWorker,
    maxConcurrentActivityTaskExecutions: 1,
    workflowsPath: require.resolve('../../src/workflows'),
    activities: {
      ...activities,
      async validateFileBatch(input: Parameters<typeof activities.validateFileBatch>[0]) {
        await progressShown;
        return activities.validateFileBatch(input);
      },
    },
  });
  workerRunning = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await workerRunning;
  await connection?.close();
  await stack?.stop();
});

test('two workers on one task queue share the batches of a date; each file is validated once and its rows loaded once', async () => {
  const names = Array.from({ length: 12 }, (_, i) => `part-${String(i).padStart(2, '0')}.csv`);
  for (const [i, name] of names.entries()) {
    const rows = [0, 1].map((r) => `O-${i}-${r},C-001,${date},19.99,P-10,${date}T08:00:00Z,completed`);
    await putObject(stack.aws.s3, pipeline.s3.bucket, `${pipeline.s3.prefixes.raw}${date}/${name}`, `${ordersHeader}\n${rows.join('\n')}\n`);
  }

  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  const details = new Set<string>();
  const watching = (async () => {
    for (;;) {
      const metadata = await run.handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata').catch(() => undefined);
      if (metadata?.currentDetails) details.add(metadata.currentDetails);
      if (metadata?.currentDetails && progressLine.test(metadata.currentDetails)) showedProgress();
      if (metadata?.currentDetails?.startsWith('**Succeeded**') || (await run.handle.describe()).status.name !== 'RUNNING') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const outcome = await waitForRun(run, () => undefined, 100);
  await watching;

  expect(outcome.outcome).toBe('succeeded');
  // Who checked each batch, as the run's history says.
  const events = (await run.handle.fetchHistory()).events ?? [];
  const activityTypes = new Map(
    events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => [String(e.eventId), e.activityTaskScheduledEventAttributes!.activityType!.name]),
  );
  const batchWorkers = events
    .filter((e) => e.activityTaskStartedEventAttributes && activityTypes.get(String(e.activityTaskStartedEventAttributes.scheduledEventId)) === 'validateFileBatch')
    .map((e) => e.activityTaskStartedEventAttributes!.identity!);
  expect(batchWorkers).toHaveLength(12);
  expect(new Set(batchWorkers).size).toBe(2);
  expect(batchWorkers).toContain(secondWorker);

  // Each file validated once, by this run; none rejected or left in raw/.
  const validated = await listKeys(stack.aws.s3, pipeline.s3.bucket, `${pipeline.s3.prefixes.validated}${date}/`);
  expect(validated).toEqual(names.map((name) => `${pipeline.s3.prefixes.validated}${date}/${name}`));
  for (const key of validated) expect((await readStamp(stack.aws.s3, pipeline.s3.bucket, key))?.runId).toBe(run.runId);
  expect(await listKeys(stack.aws.s3, pipeline.s3.bucket, `${pipeline.s3.prefixes.raw}${date}/`)).toEqual([]);
  expect(await listKeys(stack.aws.s3, pipeline.s3.bucket, `${pipeline.s3.prefixes.errors}${date}/`)).toEqual([]);
  const validate = (await run.handle.result()).steps.validate as ValidationResult;
  expect(validate).toMatchObject({ rowsValidated: 24, previouslyValidatedFiles: 0 });
  expect(validate.files).toHaveLength(12);

  // The date's rows once.
  const { rows } = await runSql(
    stack.aws.redshiftData,
    redshiftOf(pipeline),
    `SELECT COUNT(*), COUNT(DISTINCT order_id) FROM public.fct_orders WHERE order_date = '${date}'`,
  );
  expect(rows).toEqual([[24, 24]]);

  // While it validated, the run's current details counted the files and bytes checked.
  const progress = [...details].filter((line) => line.includes(' of 12 files'));
  expect(progress.length).toBeGreaterThan(0);
  for (const line of progress) expect(line).toMatch(progressLine);
});
