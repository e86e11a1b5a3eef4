import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { loadPipeline } from '../../src/config/load';
import type { PipelineConfig } from '../../src/config/schema';
import { EmulatorControl } from '../../src/local/emulator';
import { uploadSampleFiles } from '../../src/local/sampleData';
import type { StackState } from '../../src/local/stackState';
import { runSql } from '../../src/redshift/runSql';
import { redshiftOf } from '../../src/shared/activityInputs';
import { createAwsClients, type AwsClients } from '../../src/aws/awsClients';
import { configDirWith, edit, sampleOrdersElsewhere } from '../config/pipelineFiles';
import { etl, etlAsync, startEtl } from '../support/etl';
import { testLocalStack, type TestLocalStack } from '../support/localStack';
import { stepOf } from '../support/pipelines';
import { eventually, processGone } from '../support/processes';

/**
 * The local stack heals: its worker is restarted when it dies, a second `etl worker --local-stack` works beside
 * it, and `etl stack up` restarts only what stopped, so a run waiting on Glue survives; a stack started afresh
 * ends only the runs whose emulated AWS work was lost. One stack (the built CLI, free ports, a temporary state
 * folder) serves every test, in order. Its sample Glue job is held until the release file exists.
 */

const date = '2024-01-15';
// The sample files hold 8 orders: one cancelled, one pending, and O-1003 twice; the job keeps the others.
const sampleOrders = ['O-1001', 'O-1002', 'O-1003', 'O-1005', 'O-1006'];
const workflowId = `etl-orders-${date}`;
const secondTaskQueue = 'etl-second-worker';

let stack: TestLocalStack;
let state: StackState;
let configDir: string;
let releaseFile: string;
let pipeline: PipelineConfig;
let aws: AwsClients;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  stack = await testLocalStack();
  releaseFile = join(stack.stateDir, 'release');
  configDir = sampleOrdersElsewhere((text) =>
    edit(
      edit(text, 'pollInterval: 30s', 'pollInterval: 1s'),
      /localScript: \S+/.exec(text)![0],
      `localScript: ${join(__dirname, '../drills/jobScripts/heldSampleJob.sh')}`,
    ).replace(/^( +)(--target_path: .*\n)/m, `$1$2$1--release_file: "${releaseFile}"\n`),
  );
  stack.env.ETL_CONFIG_DIR = configDir;
  pipeline = loadPipeline('orders', configDir);
  const up = await etlAsync(['stack', 'up'], stack.env);
  expect({ code: up.code, stderr: up.stderr }).toEqual({ code: 0, stderr: '' });
  state = stack.state()!;
  aws = createAwsClients(state.aws);
  connection = await Connection.connect({ address: state.temporal.address });
  client = new Client({ connection, namespace: state.temporal.namespace });
}, 120_000);

afterAll(async () => {
  await connection?.close();
  Object.values(aws ?? {}).forEach((c) => c.destroy());
  if (stack) etl(['stack', 'down'], stack.env);
  await stack?.cleanUp();
  rmSync(configDir, { recursive: true, force: true });
}, 60_000);

beforeEach(() => rmSync(releaseFile, { force: true }));

/** The worker process the stack's supervisor runs now. */
function supervisedWorkerPid(): number | undefined {
  const supervisor = stack.state()!.processes.find((p) => p.name === 'worker')!.pid;
  const children = readdirSync('/proc').filter((entry) => {
    try {
      return (
        /^\d+$/.test(entry) &&
        readFileSync(`/proc/${entry}/stat`, 'utf8')
          .replace(/^.*\) /s, '')
          .split(' ')[1] === String(supervisor)
      );
    } catch {
      return false;
    }
  });
  return children.length && !processGone(Number(children[0])) ? Number(children[0]) : undefined;
}

async function startHeldRun(options: { taskQueueConfig?: string } = {}) {
  await uploadSampleFiles(aws.s3, pipeline, date);
  const started = etl(['run', '--pipeline', 'orders', '--date', date, ...(options.taskQueueConfig ? ['--config-dir', options.taskQueueConfig] : [])], stack.env);
  expect({ code: started.code, stderr: started.stderr }).toEqual({ code: 0, stderr: '' });
  const runIdsBefore = new Set((await glueRuns()).map((r) => r.id));
  await eventually('the Glue run to be running', async () => (await glueRuns()).some((r) => r.state === 'RUNNING' && !runIdsBefore.has(r.id)) || undefined, 1200);
  return client.workflow.getHandle(workflowId);
}

async function glueRuns() {
  return (await new EmulatorControl(state.emulatorUrl).recorded()).glue.runs.filter((r) => r.jobName === stepOf(pipeline, 'glue').jobName);
}

async function ordersLoaded() {
  const rows = await runSql(aws.redshiftData, redshiftOf(pipeline), `SELECT order_id FROM public.fct_orders WHERE order_date = '${date}' ORDER BY order_id`);
  return rows.rows.map(([id]) => String(id));
}

test("the stack's worker, SIGKILLed while a run waits on Glue, is restarted with a line in the stack log, and the run completes once", async () => {
  const run = await startHeldRun();
  const killed = supervisedWorkerPid()!;
  process.kill(killed, 'SIGKILL');

  await eventually(
    'the stack log to say the worker was restarted',
    () => /worker was killed by SIGKILL after \d+s; restarting it in 1s\n.*worker started \(pid \d+\)/.test(stack.log()) || undefined,
  );
  const replacement = await eventually('a new worker', () => {
    const pid = supervisedWorkerPid();
    return pid && pid !== killed ? pid : undefined;
  });
  expect(processGone(killed)).toBe(true);
  // Commands never stopped working: the servers ran all along.
  expect(etl(['stack', 'status'], stack.env).code).toBe(0);
  writeFileSync(releaseFile, '');

  await run.result();
  expect(supervisedWorkerPid()).toBe(replacement);
  expect((await glueRuns()).map((r) => r.state)).toEqual(['SUCCEEDED']);
  expect(await ordersLoaded()).toEqual(sampleOrders);
}, 180_000);

test("`etl worker --local-stack` beside the stack's worker starts although that worker holds its metrics address, and serves runs", async () => {
  // A copy of the config whose pipeline runs on a task queue only the second worker serves.
  const secondQueueConfig = configDirWith({ 'orders.yaml': `${readFileSync(join(configDir, 'orders.yaml'), 'utf8')}\ntaskQueue: ${secondTaskQueue}\n` });
  let second: ChildProcess | undefined;
  try {
    second = await startEtl(
      ['worker', '--local-stack', '--task-queue', secondTaskQueue],
      // The stack's worker holds this address: what a second worker meets with the default one.
      { ...stack.env, ETL_METRICS_ADDRESS: `127.0.0.1:${state.ports.workerMetrics}` },
      /"worker started"/,
    );
    writeFileSync(releaseFile, '');
    const run = await startHeldRun({ taskQueueConfig: secondQueueConfig });

    await run.result();
    expect((await run.describe()).taskQueue).toBe(secondTaskQueue);
    expect(await ordersLoaded()).toEqual(sampleOrders);
  } finally {
    const exited = second && new Promise((resolve) => second!.once('exit', resolve));
    second?.kill('SIGTERM');
    await exited;
    rmSync(secondQueueConfig, { recursive: true, force: true });
  }
}, 180_000);

test('`etl stack up` restarts only what stopped, so a run waiting on Glue survives its Temporal server being killed', async () => {
  const run = await startHeldRun();
  const temporalServer = stack.state()!.processes.find((p) => p.name === 'temporal')!;
  process.kill(temporalServer.pid, 'SIGKILL');
  await eventually('the Temporal server to be gone', () => processGone(temporalServer.pid) || undefined);
  expect(etl(['status', '--pipeline', 'orders'], stack.env).stderr).toContain('part of the local stack has stopped (temporal): `etl stack up` starts it again');

  const up = await etlAsync(['stack', 'up'], stack.env);

  expect({ code: up.code, stderr: up.stderr }).toEqual({ code: 0, stderr: '' });
  expect(up.stdout).toContain('Restarted what had stopped of the local stack: temporal.');
  expect(up.stdout).not.toContain('Terminated');
  writeFileSync(releaseFile, '');
  await run.result();
  expect((await glueRuns()).filter((r) => r.state !== 'SUCCEEDED')).toEqual([]);
  expect(await ordersLoaded()).toEqual(sampleOrders);
}, 180_000);

test('a worker whose supervisor is SIGKILLed ends with it, and `etl stack up` starts both again', async () => {
  const supervisor = stack.state()!.processes.find((p) => p.name === 'worker')!;
  const worker = supervisedWorkerPid()!;
  process.kill(supervisor.pid, 'SIGKILL');

  // No worker is left behind that `etl stack down` could not stop.
  await eventually('the orphaned worker to end', () => processGone(worker) || undefined);
  expect(etl(['stack', 'status'], stack.env).stdout).toMatch(/worker +pid \d+ STOPPED/);
  const up = await etlAsync(['stack', 'up'], stack.env);

  expect({ code: up.code, stderr: up.stderr }).toEqual({ code: 0, stderr: '' });
  expect(up.stdout).toContain('Restarted what had stopped of the local stack: worker.');
  expect(supervisedWorkerPid()).toBeDefined();
  expect(etl(['stack', 'status'], stack.env).code).toBe(0);
}, 120_000);

test('a stack started afresh ends a run whose Glue run died with the earlier stack, and only that run', async () => {
  await startHeldRun();
  const openBackfill = await client.workflow.start('backfillPipeline', {
    taskQueue: 'no-worker-serves-this', // never runs: an open workflow with no step whose outside work was lost
    workflowId: 'etl-backfill-open-across-restart',
    args: [{}],
  });

  const down = etl(['stack', 'down'], stack.env);
  expect(down.code).toBe(0);
  // Said before it happens, and only of that run.
  expect(down.stdout).toMatch(new RegExp(`^Open runs whose files, Glue run or statement stop with the stack .*: ${workflowId} \\(at glue\\)$`, 'm'));
  const up = await etlAsync(['stack', 'up'], stack.env);
  state = stack.state()!;

  expect({ code: up.code, stderr: up.stderr }).toEqual({ code: 0, stderr: '' });
  expect(up.stdout).toContain(
    `Terminated runs the last stack left open that could not resume (their files, Glue run or statement were lost with it): ${workflowId} (at glue)`,
  );
  await connection.close();
  connection = await Connection.connect({ address: state.temporal.address });
  client = new Client({ connection, namespace: state.temporal.namespace });
  expect((await client.workflow.getHandle(workflowId).describe()).status.name).toBe('TERMINATED');
  expect((await client.workflow.getHandle(openBackfill.workflowId).describe()).status.name).toBe('RUNNING');
  // The Redshift tables outlive the stack: the rows loaded before are still there.
  expect(await ordersLoaded()).toEqual(sampleOrders);
  await client.workflow.getHandle(openBackfill.workflowId).terminate('test over');
}, 180_000);
