import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun, type ClosedPipelineRun } from '../../src/client/operations/waitForRun';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';
import { startMoto, type MotoServer } from '../../src/local/moto';
import { projectRoot } from '../../src/local/paths';
import { freePort, stopProcess } from '../../src/local/processes';
import { provisionPipelines } from '../../src/local/provision';
import { uploadSampleFiles } from '../../src/local/sampleData';
import { createAwsClients, type AwsClients } from '../../src/aws/awsClients';
import { putObject } from '../support/aws';
import { stepOf, testPipeline } from '../support/pipelines';
import { createDevServerEnv } from '../support/temporal';
import { awsEnvironment } from '../support/awsEnvironment';

/**
 * The built `etl worker`, run as a user runs it (its own process: the Temporal runtime is one per process),
 * against the dev server, moto and the emulator: a run that succeeds and two that fail, then its
 * stdout and its Prometheus endpoint are read as a log shipper and Prometheus would.
 */

const pipeline = testPipeline();
const goodDate = '2024-01-15';
const emptyDate = '2024-02-01'; // no files landed: the run fails at validation
const invalidDate = '2024-02-02'; // one file breaks the contract: the run fails at validation
const plantedSecrets = { AWS_SECRET_ACCESS_KEY: 'planted/AwsSecretKey+0123456789abcdef', AWS_SESSION_TOKEN: 'planted-session-token-0123456789' };

let env: TestWorkflowEnvironment;
let moto: MotoServer;
let emulator: RunningEmulator;
let aws: AwsClients;
let worker: ChildProcessWithoutNullStreams;
let workerExited: Promise<unknown>;
let stdout = '';
let stderr = '';
let metricsUrl: string;
const runs: Record<string, { workflowId: string; runId: string; outcome: ClosedPipelineRun }> = {};

beforeAll(async () => {
  [env, moto, emulator] = await Promise.all([createDevServerEnv(), startMoto(), startEmulator()]);
  const credentials = { accessKeyId: 'AKIAPLANTEDEXAMPLE', secretAccessKey: plantedSecrets.AWS_SECRET_ACCESS_KEY };
  aws = createAwsClients({
    region: 'us-east-1',
    credentials,
    endpoints: { s3: moto.endpoint, sns: moto.endpoint, sqs: moto.endpoint, glue: emulator.url, redshiftData: emulator.url },
  });
  await provisionPipelines(aws, [pipeline]);
  const control = new EmulatorControl(emulator.url);
  await control.setGlueOutcomes(stepOf(pipeline, 'glue').jobName, [{ pollsUntilDone: 1, finalState: 'SUCCEEDED', executionTimeSeconds: 60, dpuSeconds: 120 }]);
  // The scripted Glue run writes no output, so the load is scripted to finish too: this test is about what the worker reports.
  await control.setRedshiftRules([{ match: '^CREATE TEMP TABLE', records: [] }]);
  await uploadSampleFiles(aws.s3, pipeline, goodDate);
  await putObject(
    aws.s3,
    pipeline.s3.bucket,
    `${pipeline.s3.prefixes.raw}${invalidDate}/orders.csv`,
    'order_id,customer_id,order_date,order_amount,product_id,created_at,order_status\nO-2001,C-001,2024-02-02,not-a-number,P-10,2024-02-02T08:00:00Z,completed\n',
  );

  const metricsAddress = `127.0.0.1:${await freePort()}`;
  metricsUrl = `http://${metricsAddress}/metrics`;
  worker = spawn(process.execPath, [join(projectRoot, 'lib/client/cli.js'), 'worker'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      ETL_METRICS_ADDRESS: metricsAddress,
      ...awsEnvironment(moto.endpoint, emulator.url, credentials),
      ...plantedSecrets,
    },
  });
  worker.stdout.on('data', (chunk) => (stdout += chunk));
  worker.stderr.on('data', (chunk) => (stderr += chunk));
  workerExited = new Promise((resolve) => worker.once('close', resolve));
  // A worker that cannot start (say, lib/ is not built) fails the setup with its message instead of a timeout.
  const workerDied = workerExited.then(() => Promise.reject(new Error(`the worker exited: ${stderr}`)));

  for (const date of [goodDate, emptyDate, invalidDate]) {
    const run = await startOrAttach(env.client, { pipeline, date, trigger: 'manual' });
    const outcome = await Promise.race([waitForRun(run, () => undefined, 100), workerDied]);
    runs[date] = { workflowId: run.workflowId, runId: run.runId, outcome };
  }
});

afterAll(async () => {
  if (worker?.pid) {
    await stopProcess(worker.pid);
    await workerExited;
  }
  Object.values(aws ?? {}).forEach((client) => client.destroy());
  await Promise.all([env?.teardown(), moto?.stop(), emulator?.close()]);
});

test('the runs happened: one succeeded, the date without files and the one with an invalid file failed', () => {
  expect(runs[goodDate].outcome.outcome).toBe('succeeded');
  expect(runs[emptyDate].outcome.outcome).toBe('failed');
  expect(runs[invalidDate].outcome.outcome).toBe('failed');
});

// A worker that restarts, or evicts a waiting run from its cache, replays the run's history: what this worker
// recorded must replay on the same code (the recorded histories in test/replay cover older code).
test("each run's history replays on the workflow code that recorded it", async () => {
  const workflowBundle = { codePath: join(projectRoot, 'lib/workflow-bundle/workflows.js') };
  for (const { workflowId, runId } of Object.values(runs)) {
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    await expect(Worker.runReplayHistory({ workflowBundle }, history)).resolves.toBeUndefined();
  }
});

describe('logs', () => {
  const records = () =>
    stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));

  test('every line the worker writes is JSON', () => {
    expect(stdout.trim()).not.toBe('');
    for (const line of stdout.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(records()).toContainEqual(expect.objectContaining({ msg: 'worker started', metrics: metricsUrl }));
  });

  test('workflow lines name the run, its pipeline and date, and the step', () => {
    const { workflowId, runId } = runs[goodDate];
    const runLines = records().filter((record) => record.sdkComponent === 'workflow' && record.runId === runId);
    expect(runLines).toContainEqual(
      expect.objectContaining({ msg: 'step started', workflowId, pipeline: 'orders', date: goodDate, step: 'glue', activity: 'startGlueJobRun' }),
    );
    expect(runLines).toContainEqual(expect.objectContaining({ msg: 'run finished', workflowId, pipeline: 'orders', date: goodDate, outcome: 'succeeded' }));
    expect(records()).toContainEqual(expect.objectContaining({ msg: 'run finished', runId: runs[emptyDate].runId, date: emptyDate, outcome: 'failed' }));
  });

  test('activity lines name the run, its pipeline and date, and the activity, without the task token', () => {
    const { workflowId, runId } = runs[goodDate];
    const activityLines = records().filter((record) => record.sdkComponent === 'activity');
    expect(activityLines).toContainEqual(
      expect.objectContaining({ msg: 'file validated', workflowId, runId, pipeline: 'orders', date: goodDate, activity: 'validateFileBatch' }),
    );
    expect(activityLines).toContainEqual(
      expect.objectContaining({ msg: 'Glue run started', workflowId, runId, pipeline: 'orders', date: goodDate, activity: 'startGlueJobRun' }),
    );
    for (const line of activityLines) expect(line).not.toHaveProperty('taskToken');
  });

  test('the AWS secret key and session token never reach the output', () => {
    for (const secret of Object.values(plantedSecrets)) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
  });
});

describe('metrics', () => {
  /** The endpoint's samples of one metric, as Prometheus reads them. */
  async function scrape(name: string): Promise<{ labels: Record<string, string>; value: number }[]> {
    const text = await (await fetch(metricsUrl)).text();
    return text
      .split('\n')
      .map((line) => line.match(/^(\w+)(?:\{(.*)\})? (\S+)$/))
      .filter((match) => match?.[1] === name)
      .map((match) => ({
        labels: Object.fromEntries([...(match![2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value])),
        value: Number(match![3]),
      }));
  }
  const sample = (labels: Record<string, string>, value: number) => ({ labels: expect.objectContaining(labels), value });

  test('pipeline runs are counted by outcome', async () => {
    // The worker records a run's metrics before it reports the run closed, so they are there already.
    expect(await scrape('etl_pipeline_runs')).toEqual(
      expect.arrayContaining([sample({ pipeline: 'orders', outcome: 'succeeded' }, 1), sample({ pipeline: 'orders', outcome: 'failed' }, 2)]),
    );
  });

  test('each step has a duration, by outcome', async () => {
    const counts = await scrape('etl_step_duration_count');
    for (const step of ['validate', 'glue', 'load', 'refresh']) {
      expect(counts).toContainEqual(sample({ pipeline: 'orders', step, outcome: 'succeeded' }, 1));
    }
    expect(counts).toContainEqual(sample({ pipeline: 'orders', step: 'validate', outcome: 'failed' }, 2));
    // A success notification for one run, a failure alert for each of the others.
    expect(counts).toContainEqual(sample({ pipeline: 'orders', step: 'notify', outcome: 'succeeded' }, 3));
  });

  test('files and rows validated, Glue DPU-seconds and the estimated cost are counted', async () => {
    expect(await scrape('etl_files_validated')).toEqual(
      expect.arrayContaining([sample({ pipeline: 'orders', outcome: 'validated' }, 2), sample({ pipeline: 'orders', outcome: 'invalid' }, 1)]),
    );
    expect(await scrape('etl_rows_validated')).toEqual([sample({ pipeline: 'orders' }, 8)]);
    expect(await scrape('etl_glue_dpu_seconds')).toEqual([sample({ pipeline: 'orders' }, 120)]);
    // 120 DPU-seconds at the STANDARD list price of 0.44 USD per DPU-hour.
    const costLabels = { pipeline: 'orders', step: 'glue', executionClass: 'STANDARD', currency: 'USD' };
    expect(await scrape('etl_glue_run_cost_sum')).toEqual([sample(costLabels, 0.014667)]);
    expect(await scrape('etl_glue_run_cost_count')).toEqual([sample(costLabels, 1)]);
  });

  test("the Temporal runtime's own metrics are served too", async () => {
    expect(await scrape('temporal_workflow_completed')).toContainEqual(sample({ workflow_type: 'pipelineRun' }, 1));
    expect(await scrape('temporal_workflow_failed')).toContainEqual(sample({ workflow_type: 'pipelineRun' }, 2));
  });
});
