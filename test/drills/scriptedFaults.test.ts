import { CancelStatementCommand } from '@aws-sdk/client-redshift-data';
import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun } from '../../src/client/operations/waitForRun';
import type { Fault } from '../../src/local/emulator';
import { eventually } from '../support/processes';
import { drillPipeline, landSampleFiles, sampleRunEffects, startDrillStack, type DrillStack } from './drillStack';

/**
 * Drills: AWS answers errors at every step — S3 5xx and 503 SlowDown while files are listed, read, copied and
 * deleted; Glue ThrottlingException and ConcurrentRunsExceededException; Redshift submits whose answer is lost
 * and failing status checks, a statement Redshift aborts; SNS 5xx and throttling. Each run is retried to success with nothing lost or doubled:
 * every file validated once, raw/ empty, one Glue run, one load statement, the rows once, one notification.
 * Faults "carried out" reach the service and lose only the answer; "refused" ones never reach it.
 */

let stack: DrillStack;
const pipeline = drillPipeline();

beforeAll(async () => {
  stack = await startDrillStack();
  await stack.provision(pipeline);
  await stack.startWorker();
});

afterEach(async () => {
  stack.proxy.setFaults([]);
  await stack.control.setFaults([]);
});

afterAll(() => stack?.stop());

async function runDate(date: string) {
  await landSampleFiles(stack.aws, pipeline, date);
  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  return waitForRun(run, () => undefined, 100);
}

/** How many of the requests the emulator received it answered with a scripted fault. */
async function emulatorFaultsAnswered(): Promise<number> {
  return (await stack.control.recorded()).requests.filter((request) => request.fault).length;
}

/** The load statements the local Redshift ran for the date. */
async function loadStatements(date: string): Promise<number> {
  const { statements } = (await stack.control.recorded()).redshift;
  return statements.filter((statement) => statement.statementName === `etl-${pipeline.name}-${date}-load`).length;
}

// More faults in a row than the SDK's 5 attempts, so the step's own retry takes over too.
const beyondSdkRetries = 6;

test('S3 errors and throttling while files are listed, read, copied and deleted: each file is validated once', async () => {
  const date = '2024-04-01';
  const slowDown = (target: string, times: number): Fault => ({ target, answer: 'refuse', error: 'SlowDown', status: 503, times });
  stack.proxy.setFaults([
    slowDown('S3.ListObjectsV2', 2),
    { target: 'S3.ListObjectsV2', answer: 'refuse', error: 'InternalError', status: 500 },
    { target: 'S3.GetObject', answer: 'serverError', times: beyondSdkRetries },
    slowDown('S3.HeadObject', 2),
    slowDown('S3.CopyObject', beyondSdkRetries),
    { target: 'S3.CopyObject', answer: 'serverError' },
    { target: 'S3.DeleteObject', answer: 'serverError', times: 2 },
    slowDown('S3.DeleteObject', 2),
  ]);

  expect((await runDate(date)).outcome).toBe('succeeded');
  expect(stack.proxy.unusedFaults()).toEqual([]);
  expect(await stack.effects(pipeline, date)).toEqual(sampleRunEffects(date));
});

test('Glue throttling and ConcurrentRunsExceededException on start, throttled and failing status checks: one Glue run', async () => {
  const date = '2024-04-02';
  await stack.control.setFaults([
    { target: 'AWSGlue.StartJobRun', answer: 'refuse', error: 'ThrottlingException', times: 2 },
    { target: 'AWSGlue.StartJobRun', answer: 'refuse', error: 'ConcurrentRunsExceededException', times: 2 },
    { target: 'AWSGlue.GetJobRuns', answer: 'refuse', error: 'ThrottlingException', times: 2 },
    { target: 'AWSGlue.GetJobRun', answer: 'refuse', error: 'ThrottlingException', times: 2 },
    { target: 'AWSGlue.GetJobRun', answer: 'serverError', times: 2 },
  ]);
  const before = await emulatorFaultsAnswered();

  expect((await runDate(date)).outcome).toBe('succeeded');
  expect((await emulatorFaultsAnswered()) - before).toBe(2 + 2 + 2 + 2 + 2);
  expect(await stack.effects(pipeline, date)).toEqual(sampleRunEffects(date));
});

test('Redshift submits whose answer is lost and failing status checks: one load statement, the rows once', async () => {
  const date = '2024-04-03';
  await stack.control.setFaults([
    { target: 'RedshiftData.BatchExecuteStatement', answer: 'dropConnection', times: beyondSdkRetries },
    { target: 'RedshiftData.DescribeStatement', answer: 'serverError', times: 2 },
    { target: 'RedshiftData.DescribeStatement', answer: 'refuse', error: 'ThrottlingException', times: 2 },
  ]);
  const before = await emulatorFaultsAnswered();

  expect((await runDate(date)).outcome).toBe('succeeded');
  expect((await emulatorFaultsAnswered()) - before).toBe(beyondSdkRetries + 2 + 2);
  expect(await stack.effects(pipeline, date)).toEqual(sampleRunEffects(date));
  expect(await loadStatements(date)).toBe(1);
});

test('SNS errors and throttling on Publish: one notification', async () => {
  const date = '2024-04-04';
  stack.proxy.setFaults([
    { target: 'Publish', answer: 'refuse', error: 'InternalFailure', status: 500, times: 2 },
    { target: 'Publish', answer: 'refuse', error: 'Throttling', status: 400 },
  ]);

  expect((await runDate(date)).outcome).toBe('succeeded');
  expect(stack.proxy.unusedFaults()).toEqual([]);
  expect(await stack.effects(pipeline, date)).toEqual(sampleRunEffects(date));
});

test('a load statement aborted in Redshift (by a user or a rule) is submitted again: the rows once', async () => {
  const date = '2024-04-05';
  // The first COPY is held long enough to be cancelled from outside the run.
  await stack.control.setRedshiftRules([{ match: '^COPY ', pollsUntilDone: 100_000 }]);
  const earlier = (await stack.control.recorded()).redshift.statements.length;
  await landSampleFiles(stack.aws, pipeline, date);
  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  const held = await eventually('the load statement to be held', async () =>
    (await stack.control.recorded()).redshift.statements.slice(earlier).find((statement) => statement.statementName === `etl-${pipeline.name}-${date}-load`),
  );
  await stack.control.setRedshiftRules([]);
  await stack.aws.redshiftData.send(new CancelStatementCommand({ Id: held.id }));

  expect((await waitForRun(run, () => undefined, 100)).outcome).toBe('succeeded');
  expect(await stack.effects(pipeline, date)).toEqual(sampleRunEffects(date));
  const loads = (await stack.control.recorded()).redshift.statements.filter((statement) => statement.statementName === `etl-${pipeline.name}-${date}-load`);
  expect(loads.map((statement) => statement.status)).toEqual(['ABORTED', 'FINISHED']);
});
