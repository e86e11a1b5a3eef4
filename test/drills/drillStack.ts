import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadPipeline } from '../../src/config/load';
import type { PipelineConfig, StepOverride } from '../../src/config/schema';
import type { StepKind } from '../../src/steps/registry';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';
import { startMoto, type MotoServer } from '../../src/local/moto';
import { projectRoot } from '../../src/local/paths';
import { freePort, isPortFree, stopProcess } from '../../src/local/processes';
import { provisionPipelines } from '../../src/local/provision';
import { sampleDataDir } from '../../src/local/sampleData';
import { runSql } from '../../src/redshift/runSql';
import { redshiftOf } from '../../src/shared/activityInputs';
import { createAwsClients, type AwsClients } from '../../src/aws/awsClients';
import { listKeys } from '../support/aws';
import { awsEnvironment } from '../support/awsEnvironment';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { receiveNotifications, type ReceivedNotification } from '../support/notifications';
import { eventually } from '../support/processes';
import { stepOf } from '../support/pipelines';
import { createDevServerEnv } from '../support/temporal';

/**
 * One drill file's stack on loopback: a Temporal dev server that can be restarted on its port and database file,
 * moto with a fault proxy in front of it for the workers' S3 and SNS, the Glue/Redshift emulator, and workers that
 * are the built `etl worker` in their own processes, to be SIGKILLed. The test's own clients talk to moto and the
 * emulator directly, so they count effects, not what the workers were answered.
 */
export interface DrillStack {
  /** The current dev server; a new one after `restartTemporal`. */
  env: TestWorkflowEnvironment;
  control: EmulatorControl;
  aws: AwsClients;
  /** Between the workers and moto's S3 and SNS. */
  proxy: FaultProxy;
  /** A folder of the stack's own, removed with it. */
  work: string;
  /** Creates the pipeline's bucket, topics, Glue job, table and views; safe to repeat. */
  provision(pipeline: PipelineConfig): Promise<void>;
  /** Starts a worker; `settings` are extra environment variables, such as its tuning. */
  startWorker(settings?: Record<string, string>): Promise<void>;
  /** SIGKILLs the worker started last, and waits until its process has gone. */
  killWorker(): Promise<void>;
  /** Stops the dev server (its process is killed) and, once its port is free, starts it again on the same port and database file. */
  restartTemporal(): Promise<void>;
  /** What a date's run left behind, counted where it lives. */
  effects(pipeline: PipelineConfig, date: string): Promise<RunEffects>;
  stop(): Promise<void>;
}

interface WorkerProcess {
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface RunEffects {
  /** Keys left under the date's raw/ folder. */
  raw: string[];
  /** File names under the date's validated/ and errors/ folders. */
  validated: string[];
  errors: string[];
  /** The states of the Glue runs started for the date, by any job. */
  glueRuns: string[];
  /** The date's order ids in the local Redshift, sorted. */
  rows: string[];
  /** Subjects of the date's notifications on the queue (read once: they are deleted). */
  notifications: string[];
}

/** The sample date whose files every drill lands again under its own date. */
const sampleDate = '2024-01-15';
const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function startDrillStack(): Promise<DrillStack> {
  const work = mkdtempSync(join(tmpdir(), 'drill-'));
  const temporalPort = await freePort();
  const dbFilename = join(work, 'temporal.db');
  const started: { env?: TestWorkflowEnvironment; moto?: MotoServer; emulator?: RunningEmulator; proxy?: FaultProxy; aws?: AwsClients } = {};
  const workers: WorkerProcess[] = [];
  let queueUrl = '';
  // Notifications read from the queue (which deletes them) that belong to dates not counted yet.
  let unclaimed: ReceivedNotification[] = [];

  const stop = async () => {
    for (const worker of workers) await worker.stop();
    Object.values(started.aws ?? {}).forEach((client) => client.destroy());
    await Promise.all([started.env?.teardown(), started.proxy?.close(), started.emulator?.close()]);
    await started.moto?.stop();
    rmSync(work, { recursive: true, force: true });
  };

  try {
    const servers = await Promise.allSettled([
      createDevServerEnv({ port: temporalPort, dbFilename }).then((env) => (started.env = env)),
      startMoto().then(async (moto) => {
        started.moto = moto;
        started.proxy = await startFaultProxy(moto.endpoint);
        started.emulator = await startEmulator({ s3: { endpoint: moto.endpoint, region, credentials } });
      }),
    ]);
    for (const server of servers) if (server.status === 'rejected') throw server.reason;
  } catch (err) {
    await stop();
    throw err;
  }
  const { moto, proxy, emulator } = started as Required<typeof started>;
  const aws = (started.aws = createAwsClients({
    region,
    credentials,
    endpoints: { s3: moto.endpoint, sns: moto.endpoint, sqs: moto.endpoint, glue: emulator.url, redshiftData: emulator.url },
  }));
  const control = new EmulatorControl(emulator.url);

  const stack: DrillStack = {
    env: started.env!,
    control,
    aws,
    proxy,
    work,
    provision: async (pipeline) => {
      ({ queueUrl } = await provisionPipelines(aws, [pipeline]));
    },
    startWorker: async (settings = {}) => {
      const worker = await startWorkerProcess({
        ...settings,
        TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
        ...awsEnvironment(moto.endpoint, emulator.url, credentials),
        AWS_ENDPOINT_URL_S3: proxy.endpoint,
        AWS_ENDPOINT_URL_SNS: proxy.endpoint,
      });
      workers.push(worker);
    },
    killWorker: async () => {
      await workers.at(-1)?.kill();
    },
    restartTemporal: async () => {
      await stack.env.teardown();
      await eventually('the dev server to stop', async () => (await isPortFree(temporalPort)) || undefined);
      stack.env = started.env = await createDevServerEnv({ port: temporalPort, dbFilename });
    },
    effects: async (pipeline, date) => {
      const { bucket, prefixes } = pipeline.s3;
      const names = async (prefix: string) => (await listKeys(aws.s3, bucket, `${prefix}${date}/`)).map((key) => key.split('/').pop()!);
      const runs = (await control.recorded()).glue.runs.filter((run) => run.arguments['--execution_date'] === date);
      const rows = await runSql(
        aws.redshiftData,
        redshiftOf(pipeline),
        `SELECT order_id FROM ${stepOf(pipeline, 'load').table} WHERE order_date = '${date}' ORDER BY order_id`,
      );
      const ofDate = (n: ReceivedNotification) => n.MessageAttributes?.date?.Value === date;
      unclaimed.push(...(await receiveNotifications(aws.sqs, queueUrl, unclaimed.some(ofDate) ? 0 : 1)));
      const notifications = unclaimed.filter(ofDate);
      unclaimed = unclaimed.filter((n) => !ofDate(n));
      return {
        raw: await listKeys(aws.s3, bucket, `${prefixes.raw}${date}/`),
        validated: await names(prefixes.validated),
        errors: await names(prefixes.errors),
        glueRuns: runs.map((run) => run.state),
        rows: rows.rows.map(([id]) => String(id)),
        notifications: notifications.map((n) => n.Subject ?? ''),
      };
    },
    stop,
  };
  return stack;
}

/** What a successful run of the sample files leaves: each file validated once, one Glue run, the rows once, one notification. */
export function sampleRunEffects(date: string): RunEffects {
  return {
    raw: [],
    validated: sampleFiles(),
    errors: [],
    glueRuns: ['SUCCEEDED'],
    // The sample files hold 8 orders: one cancelled, one pending, and O-1003 twice; the job keeps the others.
    rows: ['O-1001', 'O-1002', 'O-1003', 'O-1005', 'O-1006'],
    notifications: [`ETL orders ${date} succeeded`],
  };
}

/** Lands the sample files in the date's raw/ folder, their dates changed to it, so each drill has a date of its own. */
export async function landSampleFiles(aws: AwsClients, pipeline: PipelineConfig, date: string): Promise<void> {
  for (const file of sampleFiles()) {
    const body = readFileSync(join(sampleDataDir, pipeline.name, sampleDate, file), 'utf8').replaceAll(sampleDate, date);
    await aws.s3.send(new PutObjectCommand({ Bucket: pipeline.s3.bucket, Key: `${pipeline.s3.prefixes.raw}${date}/${file}`, Body: body }));
  }
}

function sampleFiles(): string[] {
  return readdirSync(join(sampleDataDir, 'orders', sampleDate)).sort();
}

/**
 * The sample pipeline with quick polls and retries, and timeouts that notice a dead worker within about ten seconds
 * at every step: validation's heartbeat, the waiting steps' shortest heartbeat timeout, the notification's
 * start-to-close timeout (it does not heartbeat).
 */
export function drillPipeline(overrides: Partial<PipelineConfig> = {}): PipelineConfig {
  const sample = loadPipeline('orders');
  const quick = { initialInterval: '200ms' } as const;
  const options: Partial<Record<StepKind, StepOverride>> = {
    validate: { ...quick, heartbeatTimeout: '10s' },
    glue: { ...quick, heartbeatTimeout: '10s' },
    load: { ...quick, heartbeatTimeout: '10s' },
    refresh: { ...quick, heartbeatTimeout: '10s' },
    notify: { ...quick, startToCloseTimeout: '10s' },
  };
  return {
    ...sample,
    redshift: { ...sample.redshift!, pollInterval: '50ms' },
    steps: sample.steps.map((step) => ({ ...step, ...(step.kind === 'glue' && { pollInterval: '100ms' }), options: options[step.kind] ?? step.options })),
    ...overrides,
  };
}

/** The built `etl worker` against the given stack, once it says it started. */
async function startWorkerProcess(stackEnvironment: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [join(projectRoot, 'lib/client/cli.js'), 'worker'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ETL_METRICS_ADDRESS: 'off', ...stackEnvironment },
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
  // A worker that cannot start (say, lib/ is not built) fails the test with its message instead of a timeout.
  await eventually(
    'the worker to start',
    () => {
      if (!running) throw new Error(`the worker exited: ${stderr}`);
      return stdout.includes('"worker started"') || undefined;
    },
    1200,
  ).catch(async (err) => {
    await worker.stop();
    throw err;
  });
  return worker;
}
