import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { waitForRun } from '../../src/client/operations/waitForRun';
import { loadPipeline } from '../../src/config/load';
import type { PipelineConfig } from '../../src/config/schema';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';
import { startMoto, type MotoServer } from '../../src/local/moto';
import { projectRoot } from '../../src/local/paths';
import { provisionPipelines } from '../../src/local/provision';
import { uploadSampleFiles } from '../../src/local/sampleData';
import { runSql } from '../../src/redshift/runSql';
import { redshiftOf } from '../../src/shared/activityInputs';
import { pipelineWorkflowId } from '../../src/shared/ids';
import { createAwsClients, type AwsClients, type AwsSettings } from '../../src/aws/awsClients';
import { createPipelineWorker } from '../../src/worker/worker';
import type { pipelineRun } from '../../src/workflows';
import { legacyPipeline } from '../support/legacyPipelines';
import { stepOf, withStep } from '../support/pipelines';
import { eventually } from '../support/processes';
import { createDevServerEnv } from '../support/temporal';

/**
 * Deploying new workflow code while a run is in flight: a run starts on the pipeline's workflow code as it was
 * before waiting steps were split into start, wait and stop (taken from git, the parent of the commit that added
 * src/workflows/waitingSteps.ts, and bundled as a worker would), its worker stops while the Glue run goes, and a
 * worker with today's code completes it: one Glue run, the date's rows once, the old Glue step finished as it
 * was scheduled and the load done the new way.
 */

const date = '2024-01-15';
const sampleOrders = ['O-1001', 'O-1002', 'O-1003', 'O-1005', 'O-1006'];
const settings: AwsSettings = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

let env: TestWorkflowEnvironment;
let moto: MotoServer;
let emulator: RunningEmulator;
let aws: AwsClients;
let work: string;

beforeAll(async () => {
  [env, moto] = await Promise.all([createDevServerEnv(), startMoto()]);
  emulator = await startEmulator({ s3: { endpoint: moto.endpoint, region: settings.region!, credentials: settings.credentials! } });
  settings.endpoints = { s3: moto.endpoint, sns: moto.endpoint, sqs: moto.endpoint, glue: emulator.url, redshiftData: emulator.url };
  aws = createAwsClients(settings);
  // Inside the project, so that the old sources resolve the project's node_modules.
  mkdirSync(join(projectRoot, '.local'), { recursive: true });
  work = mkdtempSync(join(projectRoot, '.local', 'workflow-upgrade-'));
});

afterAll(async () => {
  Object.values(aws ?? {}).forEach((client) => client.destroy());
  await Promise.all([env?.teardown(), moto?.stop(), emulator?.close()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a run started on the previous workflow code waits on Glue, changes workers, and completes on the new code with one Glue run and the rows once', async () => {
  const releaseFile = join(work, 'release');
  const pipeline = heldSamplePipeline(releaseFile);
  await provisionPipelines(aws, [pipeline]);
  await uploadSampleFiles(aws.s3, pipeline, date);
  const logger = new DefaultLogger('ERROR');
  const connection = await NativeConnection.connect({ address: env.address });
  let oldWorker: Worker | undefined;
  let oldWorkerRunning: Promise<void> | undefined;

  try {
    const previousCode = await bundleWorkflowCode({ workflowsPath: previousWorkflows(), logger });
    oldWorker = await Worker.create({
      connection,
      taskQueue: pipeline.taskQueue,
      workflowBundle: previousCode,
      // Today's activities: what a new worker must still serve to runs that scheduled the old steps.
      activities: createActivities({ ...aws, temporal: env.client }),
    });
    oldWorkerRunning = oldWorker.run();
    // The previous code knows a date's run by its former workflow type, and a pipeline's config by its sections, only.
    const handle = await env.client.workflow.start<typeof pipelineRun>('dailyPipeline', {
      taskQueue: pipeline.taskQueue,
      workflowId: pipelineWorkflowId(pipeline.name, date),
      args: [{ pipeline: legacyPipeline(pipeline), date, trigger: 'manual' }],
    });
    const run = { handle, workflowId: handle.workflowId, runId: handle.firstExecutionRunId, attached: false };
    await eventually('the Glue run to be running', async () => (await glueRuns(pipeline)).some((r) => r.state === 'RUNNING') || undefined, 1200);
    oldWorker.shutdown();
    await oldWorkerRunning;

    writeFileSync(releaseFile, '');
    const newWorker = await createPipelineWorker({ connection, namespace: env.namespace ?? 'default', aws: settings, taskQueue: pipeline.taskQueue });
    const outcome = await newWorker.runUntil(waitForRun(run, () => undefined, 100));

    expect(outcome.outcome).toBe('succeeded');
    expect((await glueRuns(pipeline)).map((r) => r.state)).toEqual(['SUCCEEDED']);
    const rows = await runSql(aws.redshiftData, redshiftOf(pipeline), `SELECT order_id FROM public.fct_orders WHERE order_date = '${date}' ORDER BY order_id`);
    expect(rows.rows.map(([id]) => String(id))).toEqual(sampleOrders);
    // As the Temporal UI lists them: the Glue step as the old code scheduled it, the load as the new code does.
    const activityTypes = await scheduledActivities(run.workflowId);
    expect(activityTypes).toEqual(expect.arrayContaining(['runGlueJob', 'submitLoad', 'waitForLoad']));
    expect(activityTypes).not.toContain('startGlueJobRun');
    expect(activityTypes).not.toContain('loadToRedshift');
  } finally {
    // A failure while the old worker still runs must not leave it polling: jest would wait for it.
    if (oldWorker?.getState() === 'RUNNING') oldWorker.shutdown();
    await oldWorkerRunning?.catch(() => undefined);
    await connection.close();
  }
});

/** The workflow sources of the commit before waiting steps were split, extracted from git. */
function previousWorkflows(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8' }).trim();
  const introduced = git('log', '--diff-filter=A', '--format=%H', '--', 'src/workflows/waitingSteps.ts').split('\n').pop();
  if (!introduced) throw new Error('git history does not show the commit that added src/workflows/waitingSteps.ts (a shallow clone?): fetch the history');
  const archive = join(work, 'previous.tar');
  execFileSync('git', ['archive', '--output', archive, `${introduced}^`, 'src'], { cwd: projectRoot });
  execFileSync('tar', ['-xf', archive, '-C', work]);
  return join(work, 'src', 'workflows');
}

/** The sample pipeline, its Glue job held until the release file exists and short polls elsewhere. */
function heldSamplePipeline(releaseFile: string): PipelineConfig {
  const sample = loadPipeline('orders');
  const glue = stepOf(sample, 'glue');
  return withStep({ ...sample, redshift: { ...sample.redshift!, pollInterval: '50ms' } }, 'glue', {
    pollInterval: '200ms',
    localScript: join(projectRoot, 'test/drills/jobScripts/heldSampleJob.sh'),
    arguments: { ...glue.arguments, '--release_file': releaseFile },
    options: { initialInterval: '100ms' },
  });
}

async function glueRuns(pipeline: PipelineConfig) {
  return (await new EmulatorControl(emulator.url).recorded()).glue.runs.filter((r) => r.jobName === stepOf(pipeline, 'glue').jobName);
}

async function scheduledActivities(workflowId: string): Promise<string[]> {
  const { events } = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return (events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}
