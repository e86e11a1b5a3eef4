/**
 * How much a worker pays for runs that wait on Glue: a dev server, moto and the Glue/Redshift emulator, one real
 * `etl worker` in its own process, and N runs of the sample pipeline (default 500) whose Glue runs the emulator
 * keeps RUNNING. Prints the worker's RSS idle and with every run waiting, and whether all N wait at once.
 *
 *   node --require ./bench/register.js bench/waiting-runs.ts [--runs N] [--watch-seconds S] [--memory-detail] [--plain]
 *
 * The worker starts as the image and the local stack start it (src/worker/processSettings.ts: node flags and
 * the allocator's setting); --plain starts it as a bare `etl worker` does.
 * The worker is the built CLI (`npm run build` first). Its RSS is read from /proc while the runs wait, through at
 * least one check of every run at the sample's 30s Glue poll interval; the runs are terminated at the end.
 * --memory-detail adds the worker's own account of that memory (see logMemoryUsage); the worker's tuning
 * (ETL_MAX_CACHED_WORKFLOWS, ETL_MAX_CONCURRENT_ACTIVITIES, ETL_MAX_CONCURRENT_WORKFLOW_TASKS) passes through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { CreateJobCommand } from '@aws-sdk/client-glue';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startOrAttach, type StartedRun } from '../src/client/operations/startRun';
import { loadPipeline } from '../src/config/load';
import type { PipelineConfig } from '../src/config/schema';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../src/local/emulator';
import { startMoto, type MotoServer } from '../src/local/moto';
import { projectRoot } from '../src/local/paths';
import { stopProcess } from '../src/local/processes';
import { provisionPipelines } from '../src/local/provision';
import { addDays } from '../src/shared/dates';
import { createAwsClients, type AwsClients } from '../src/aws/awsClients';
import { workerEnvironment, workerNodeFlags } from '../src/worker/processSettings';
import { awsEnvironment } from '../test/support/awsEnvironment';
import { landOrderFiles } from '../test/support/orderFiles';
import { stepOf, withStep } from '../test/support/pipelines';
import { createDevServerEnv } from '../test/support/temporal';

const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const targetMb = 250;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a whole number of at least 1`);
  return value;
}

/** With --memory-detail the worker logs at debug level, its memory among the lines (see logMemoryUsage). */
const memoryDetail = process.argv.includes('--memory-detail');
const plain = process.argv.includes('--plain');
let latestMemory: Record<string, number> | undefined;
const memoryBreakdown = () =>
  memoryDetail && latestMemory
    ? ` (${Object.entries(latestMemory)
        .map(([part, mb]) => `${part} ${mb}`)
        .join(', ')} MB at the last log)`
    : '';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

/** The highest RSS seen while sampling every 250 ms for `ms`. */
async function peakRss(pid: number, ms: number): Promise<number> {
  let peak = 0;
  for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) peak = Math.max(peak, rssMb(pid));
  return peak;
}

/** The sample pipeline with its defaults, its Glue job scripted by the emulator (no local script) and allowing every run at once. */
function benchPipeline(): PipelineConfig {
  return withStep(loadPipeline('orders'), 'glue', { localScript: undefined });
}

async function glueChecks(control: EmulatorControl): Promise<number> {
  return (await control.recorded()).requests.filter((r) => r.target === 'AWSGlue.GetJobRun').length;
}

async function startWorker(env: TestWorkflowEnvironment, moto: MotoServer, emulator: RunningEmulator): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...(plain ? [] : workerNodeFlags), join(projectRoot, 'lib/client/cli.js'), 'worker'], {
    env: {
      ...(plain ? {} : workerEnvironment),
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: memoryDetail ? 'debug' : 'info',
      // Experiments: NODE_OPTIONS, glibc's malloc settings and the worker's tuning (see workerTuningFromEnv) pass through.
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          ([name]) => name === 'NODE_OPTIONS' || name.startsWith('ETL_MAX_') || name.startsWith('MALLOC_') || name === 'GLIBC_TUNABLES',
        ),
      ),
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      ETL_METRICS_ADDRESS: 'off',
      ...awsEnvironment(moto.endpoint, emulator.url, credentials),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The last lines only: enough to say why a worker did not start.
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.includes('"worker memory"')) latestMemory = (JSON.parse(line) as { memoryMb: Record<string, number> }).memoryMb;
  });
  child.stderr.on('data', keep);
  for (let waited = 0; !output.includes('"worker started"'); waited += 100) {
    if (child.exitCode !== null) throw new Error(`the worker exited: ${output}`);
    if (waited > 60_000) throw new Error(`the worker did not start within a minute: ${output}`);
    await sleep(100);
  }
  return child;
}

async function run() {
  const runs = option('--runs', 500);
  const watchMs = option('--watch-seconds', 45) * 1000;
  const pipeline = benchPipeline();
  const { jobName } = stepOf(pipeline, 'glue');
  console.log(
    `Starting a Temporal dev server, moto and the emulator; ${runs} runs of ${pipeline.name} will wait on Glue, on a worker started ${plain ? 'plain' : 'as the image starts it'} ...`,
  );
  const [env, moto] = await Promise.all([createDevServerEnv(), startMoto()]);
  const emulator = await startEmulator({ s3: { endpoint: moto.endpoint, region, credentials } });
  const aws: AwsClients = createAwsClients({
    region,
    credentials,
    endpoints: { s3: moto.endpoint, sns: moto.endpoint, sqs: moto.endpoint, glue: emulator.url, redshiftData: emulator.url },
  });
  const control = new EmulatorControl(emulator.url);
  let worker: ChildProcess | undefined;
  const started: StartedRun[] = [];
  try {
    // Created before provisioning, which keeps an existing job: every run may go at once.
    await aws.glue.send(
      new CreateJobCommand({
        Name: jobName,
        Role: 'arn:aws:iam::123456789012:role/GlueJobRole',
        Command: { Name: 'glueetl', ScriptLocation: `s3://${pipeline.s3.bucket}/scripts/${jobName}.py` },
        ExecutionProperty: { MaxConcurrentRuns: runs },
      }),
    );
    await provisionPipelines(aws, [pipeline]);
    await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 1_000_000_000 }]);
    const dates = Array.from({ length: runs }, (_, i) => addDays('2023-01-01', i));
    await landOrderFiles(aws.s3, pipeline, dates);

    worker = await startWorker(env, moto, emulator);
    await sleep(5_000);
    const idle = await peakRss(worker.pid!, 5_000);
    console.log(`worker idle: ${idle.toFixed(0)} MB RSS${memoryBreakdown()}`);

    const startedAt = Date.now();
    for (const date of dates) started.push(await startOrAttach(env.client, { pipeline, date, trigger: 'manual' }));
    let running = 0;
    let peakWhileStarting = 0;
    while (running < runs) {
      peakWhileStarting = Math.max(peakWhileStarting, rssMb(worker.pid!));
      running = (await control.recorded()).glue.runs.filter((r) => r.state === 'RUNNING').length;
      if (Date.now() - startedAt > 15 * 60_000) break;
      await sleep(1_000);
    }
    const allAtOnce = running === runs;
    console.log(
      `${running} of ${runs} Glue runs RUNNING at once after ${((Date.now() - startedAt) / 1000).toFixed(0)}s (peak RSS meanwhile ${peakWhileStarting.toFixed(0)} MB)`,
    );
    const checksBefore = await glueChecks(control);
    const waiting = await peakRss(worker.pid!, watchMs);
    const checks = (await glueChecks(control)) - checksBefore;
    const stillRunning = (await control.recorded()).glue.runs.filter((r) => r.state === 'RUNNING').length;
    console.log(
      `worker with ${stillRunning} runs waiting on Glue: ${waiting.toFixed(0)} MB peak RSS over ${watchMs / 1000}s, ` +
        `while it checked them ${checks} times (GetJobRun)${memoryBreakdown()}`,
    );
    console.log(
      `target: ${runs} runs waiting at once on one worker under ${targetMb} MB RSS: ` +
        (allAtOnce && waiting < targetMb ? 'met' : `not met (${allAtOnce ? 'all' : 'not all'} waiting, ${waiting.toFixed(0)} MB)`),
    );
  } finally {
    await Promise.all(
      started.map((r) =>
        env.client.workflow
          .getHandle(r.workflowId)
          .terminate('benchmark over')
          .catch(() => undefined),
      ),
    );
    if (worker?.pid && worker.exitCode === null) await stopProcess(worker.pid);
    Object.values(aws).forEach((client) => client.destroy());
    await Promise.all([env.teardown(), moto.stop(), emulator.close()]);
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
