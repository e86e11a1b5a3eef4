import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startOrAttach, waitForRun } from '../../src/client/pipelineRuns';
import { loadPipeline } from '../../src/config/load';
import type { PipelineConfig } from '../../src/config/schema';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';
import { startMoto, type MotoServer } from '../../src/local/moto';
import { projectRoot } from '../../src/local/paths';
import { stopProcess } from '../../src/local/processes';
import { provisionPipelines } from '../../src/local/provision';
import { uploadSampleFiles } from '../../src/local/sampleData';
import { runSql } from '../../src/redshift/runSql';
import { createAwsClients, type AwsClients } from '../../src/worker/awsClients';
import { awsEnvironment } from '../support/awsEnvironment';
import { receiveNotifications } from '../support/notifications';
import { eventually } from '../support/processes';
import { createDevServerEnv } from '../support/temporal';

/**
 * Drill: the worker is SIGKILLed while the date's Glue run goes, another worker starts, and the run completes
 * within 30 seconds of that worker's start, at the default timeouts and retries, with one Glue run, the date's
 * rows once in the local Redshift and one notification. Each worker is the built `etl worker` in its own process.
 */

const date = '2024-01-15';
// The sample files hold 8 orders: one cancelled, one pending, and O-1003 twice; the job keeps the others.
const sampleOrders = ['O-1001', 'O-1002', 'O-1003', 'O-1005', 'O-1006'];
/** What the issue promises: a killed worker's run resumes on its replacement within this. */
const resumptionMs = 30_000;

let env: TestWorkflowEnvironment;
let moto: MotoServer;
let emulator: RunningEmulator;
let aws: AwsClients;
let work: string;
const workers: WorkerProcess[] = [];

const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

beforeAll(async () => {
  [env, moto] = await Promise.all([createDevServerEnv(), startMoto()]);
  emulator = await startEmulator({ s3: { endpoint: moto.endpoint, region, credentials } });
  aws = createAwsClients({
    region,
    credentials,
    endpoints: { s3: moto.endpoint, sns: moto.endpoint, sqs: moto.endpoint, glue: emulator.url, redshiftData: emulator.url },
  });
  work = mkdtempSync(join(tmpdir(), 'drill-'));
});

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  Object.values(aws ?? {}).forEach((client) => client.destroy());
  await Promise.all([env?.teardown(), moto?.stop(), emulator?.close()]);
  rmSync(work, { recursive: true, force: true });
});

test('a worker killed during the Glue run is replaced and the run completes with one Glue run and the rows once', async () => {
  const releaseFile = join(work, 'release');
  const pipeline = heldSamplePipeline(releaseFile);
  const { queueUrl } = await provisionPipelines(aws, [pipeline]);
  await uploadSampleFiles(aws.s3, pipeline, date);

  const first = await startWorker();
  const run = await startOrAttach(env.client, { pipeline, date, trigger: 'manual' });
  await eventually('the Glue run to be running', async () => (await glueRuns(pipeline)).some((r) => r.state === 'RUNNING') || undefined, 1200);

  await first.kill();
  writeFileSync(releaseFile, '');
  await startWorker();
  const outcome = await Promise.race([
    waitForRun(run, () => undefined, 100),
    rejectAfter(resumptionMs, `the run did not complete within ${resumptionMs / 1000}s of the second worker's start`),
  ]);

  expect(outcome.outcome).toBe('succeeded');
  expect((await glueRuns(pipeline)).map((r) => r.state)).toEqual(['SUCCEEDED']);
  const rows = await runSql(aws.redshiftData, pipeline.redshift, `SELECT order_id FROM public.fct_orders WHERE order_date = '${date}' ORDER BY order_id`);
  expect(rows.rows.map(([id]) => String(id))).toEqual(sampleOrders);
  const notifications = await receiveNotifications(aws.sqs, queueUrl, 1);
  expect(notifications.map((n) => n.Subject)).toEqual([`ETL orders ${date} succeeded`]);
});

/**
 * The sample pipeline at its default timeouts, retries and Glue poll interval, its Glue job held until the release
 * file exists. Only the Redshift poll interval is short, so the load and refresh after resumption take milliseconds.
 */
function heldSamplePipeline(releaseFile: string): PipelineConfig {
  const sample = loadPipeline('orders');
  return {
    ...sample,
    glue: {
      ...sample.glue,
      localScript: join(__dirname, 'jobScripts/heldSampleJob.sh'),
      arguments: { ...sample.glue.arguments, '--release_file': releaseFile },
    },
    redshift: { ...sample.redshift, pollInterval: '50ms' },
  };
}

async function glueRuns(pipeline: PipelineConfig) {
  return (await new EmulatorControl(emulator.url).recorded()).glue.runs.filter((r) => r.jobName === pipeline.glue.jobName);
}

function rejectAfter(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}

interface WorkerProcess {
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** The built `etl worker` against this test's stack, once it says it started. */
async function startWorker(): Promise<WorkerProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(projectRoot, 'lib/client/cli.js'), 'worker'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      ETL_METRICS_ADDRESS: 'off',
      ...awsEnvironment(moto.endpoint, emulator.url, credentials),
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const worker: WorkerProcess = {
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (running && child.pid) await stopProcess(child.pid);
      await exited;
    },
  };
  workers.push(worker);
  // A worker that cannot start (say, lib/ is not built) fails the test with its message instead of a timeout.
  await eventually('the worker to start', () => {
    if (!running) throw new Error(`the worker exited: ${stderr}`);
    return stdout.includes('"worker started"') || undefined;
  }, 1200);
  return worker;
}
