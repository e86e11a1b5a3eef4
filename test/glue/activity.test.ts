import { join } from 'node:path';
import { CreateJobCommand, GetJobRunCommand, type GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { createGlueActivities } from '../../src/activities/glue/activity';
import { notificationMessage } from '../../src/activities/notify/message';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';
import { startMoto, type MotoServer } from '../../src/local/moto';
import { glueStartInput, type GlueStartInput } from '../../src/shared/activityInputs';
import type { CostConfig } from '../../src/shared/glueCost';
import type { Trigger } from '../../src/shared/pipelineRun';
import type { GlueRunFigures, GlueRunStart } from '../../src/shared/stepResults';
import { createAwsClients, type AwsClients } from '../../src/aws/awsClients';
import { activityEnvironment, startAttempt } from '../support/activities';
import { createBucket, listKeys, putObject } from '../support/aws';
import { legacyPipeline } from '../support/legacyPipelines';
import { stepOf, testPipeline, withStep } from '../support/pipelines';
import { glueDate, glueInput, glueRunKey, runGlueStep } from './glueStep';

const pipeline = testPipeline();
const { jobName, pollInterval } = stepOf(pipeline, 'glue');
const bucket = pipeline.s3.bucket;
const input = glueInput(pipeline);
/** The Glue step's output for the date, by default the load's COPY source: what the Glue job writes and the load reads. */
const processed = 'processed/orders/order_date=2024-01-15/';
/** A job script that writes a hundred lines to stderr and fails. */
const failingScript = join(__dirname, '..', 'emulator', 'jobScripts', 'fails.py');

let emulator: RunningEmulator;
let moto: MotoServer;
let control: EmulatorControl;
let aws: AwsClients;
let glue: GlueClient;
let activities: ReturnType<typeof createGlueActivities>;

beforeAll(async () => {
  [emulator, moto] = await Promise.all([startEmulator({ port: 0 }), startMoto()]);
  control = new EmulatorControl(emulator.url);
  // The worker's own client factory, pointed at the emulator and moto.
  aws = createAwsClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    endpoints: { glue: emulator.url, logs: emulator.url, s3: moto.endpoint },
  });
  glue = aws.glue;
  activities = createGlueActivities(aws);
});

afterAll(async () => {
  Object.values(aws).forEach((client) => client.destroy());
  await Promise.all([emulator.close(), moto.stop()]);
});

beforeEach(async () => {
  await Promise.all([control.reset(), fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' })]);
  await createBucket(aws.s3, bucket);
  await glue.send(
    new CreateJobCommand({
      Name: jobName,
      Role: 'arn:aws:iam::123456789012:role/GlueJobRole',
      Command: { Name: 'glueetl', ScriptLocation: 's3://etl-data-lake/scripts/transform-orders.py' },
      ExecutionProperty: { MaxConcurrentRuns: 1 },
    }),
  );
});

async function recordedRuns() {
  return (await control.recorded()).glue.runs;
}

const glueStep = async () => (await runGlueStep(activities, pipeline)).result;
const start = (stepInput: GlueStartInput = input, env = activityEnvironment()): Promise<GlueRunStart> => env.run(activities.startGlueJobRun, stepInput);

test('runs the job for the date and reports its run id and DPU figures', async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 2, finalState: 'SUCCEEDED', executionTimeSeconds: 420, dpuSeconds: 840 }]);

  const result = await glueStep();

  const [run] = await recordedRuns();
  expect(run.state).toBe('SUCCEEDED');
  expect(result).toMatchObject({
    jobRunId: run.id,
    jobName,
    adopted: false,
    executionTimeSeconds: 420,
    dpuSeconds: 840,
    startedOn: expect.any(String),
    completedOn: expect.any(String),
  });
  expect(run.arguments).toEqual(renderedArguments());
});

test("a run shorter than a minute is billed and costed as a minute's, Glue's minimum", async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 1, finalState: 'SUCCEEDED', executionTimeSeconds: 12 }]);

  const result = await glueStep();

  const [run] = await recordedRuns();
  const dpus = run.capacity.maxCapacity;
  expect(dpus).toBe(2);
  expect(result).toMatchObject({ executionTimeSeconds: 12, dpuSeconds: 12 * dpus, billedDpuSeconds: 60 * dpus });
  expect(result.estimatedCost?.amount).toBeCloseTo(((60 * dpus) / 3600) * 0.44, 6);
});

/** The arguments a run for the date gets: the configured ones rendered, and the run key. */
const renderedArguments = () => ({
  '--execution_date': '2024-01-15',
  '--source_path': 's3://etl-data-lake/validated/orders/2024-01-15/',
  '--target_path': 's3://etl-data-lake/processed/orders/order_date=2024-01-15/',
  '--etl_run_key': glueRunKey,
});

test('a start whose completion was lost is retried and adopts the run it started instead of starting a second one', async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 4 }]);
  // The worker died after StartJobRun, before Temporal heard of it: the retry never saw its heartbeat.
  await start();

  const result = await glueStep();

  const runs = await recordedRuns();
  expect(runs.map((run) => run.state)).toEqual(['SUCCEEDED']);
  expect(result).toMatchObject({ jobRunId: runs[0].id, adopted: true });
});

test('a retried start resumes the run named in its heartbeat details', async () => {
  const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: jobName }));

  const result = await start(input, activityEnvironment({ heartbeatDetails: { jobRunId: JobRunId } }));

  expect(result).toEqual({ jobRunId: JobRunId, jobName, adopted: true, consoleUrl: consoleUrl(JobRunId!) });
  expect(await recordedRuns()).toHaveLength(1);
});

/** The run's page in the Glue console of the clients' region. */
const consoleUrl = (runId: string, job = jobName) =>
  `https://us-east-1.console.aws.amazon.com/gluestudio/home?region=us-east-1#/job/${encodeURIComponent(job)}/run/${runId}`;
/** The run's error log stream in the CloudWatch console. */
const errorLogUrl = (runId: string) =>
  `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws-glue$252Fjobs$252Ferror/log-events/${runId}`;

describe('a failed run fails for good', () => {
  const failing = withStep(pipeline, 'glue', { jobName: 'failing script' });
  /** The step of a job whose local script writes a hundred lines to stderr and fails: what it throws. */
  async function failingScriptStep(): Promise<unknown> {
    await glue.send(
      new CreateJobCommand({
        Name: 'failing script',
        Role: 'arn:aws:iam::123456789012:role/GlueJobRole',
        Command: { Name: 'glueetl', ScriptLocation: failingScript },
      }),
    );
    return runGlueStep(activities, failing).catch((err: unknown) => err);
  }

  test("with Glue's error message, the run's console page and its error log, and the log's last lines", async () => {
    const failure = await failingScriptStep();

    const [run] = await recordedRuns();
    expect(failure).toBeInstanceOf(ApplicationFailure);
    const { message, details } = failure as ApplicationFailure;
    expect(failure).toMatchObject({ type: 'GlueJobFailed', nonRetryable: true });
    const lines = message.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Glue job failing script run ${run.id} FAILED: fails\\.py exited with code 1:`));
    // The links come before Glue's stderr tail, which the emulator gives as ErrorMessage, and the log's.
    expect(lines.slice(1, 3)).toEqual([`Glue console: ${consoleUrl(run.id, 'failing script')}`, `Error log: ${errorLogUrl(run.id)}`]);
    const tail = message.slice(message.indexOf(`Last 20 line(s) of its error log (/aws-glue/jobs/error, stream ${run.id}):`));
    expect(tail.split('\n').slice(1)).toEqual([
      ...Array.from({ length: 19 }, (_, i) => `    progress line ${81 + i}: reading part ${81 + i} of the input`),
      '    ValueError: no CSV files under s3://etl-data-lake/validated/orders/2024-01-15/',
    ]);
    expect(details?.[0]).toMatchObject({ jobRunId: run.id, consoleUrl: consoleUrl(run.id, 'failing script'), errorLog: { url: errorLogUrl(run.id) } });
    // The run's one alert, however much else it has to say, keeps both links.
    const alert = notificationMessage(
      {
        pipelineName: 'orders',
        date: glueDate,
        trigger: 'manual',
        outcome: 'failed',
        topicArn: 'arn:aws:sns:us-east-1:123456789012:etl-failures',
        details: Array(5000).fill('x'.repeat(200)),
        failedStep: 'glue',
        error: message,
      },
      { workflowId: 'etl-orders-2024-01-15', runId: 'run-1' },
    );
    expect(alert).toContain(`Glue console: ${consoleUrl(run.id, 'failing script')}`);
    expect(alert).toContain(`Error log: ${errorLogUrl(run.id)}`);
  });

  test('with a line saying which permission reads its error log, when the worker may not', async () => {
    await control.setFaults([{ target: 'Logs_20140328.GetLogEvents', answer: 'refuse', error: 'AccessDeniedException' }]);

    const failure = await failingScriptStep();

    const [run] = await recordedRuns();
    const lines = (failure as ApplicationFailure).message.split('\n');
    expect(failure).toMatchObject({ type: 'GlueJobFailed', nonRetryable: true });
    expect(lines.slice(1, 3)).toEqual([`Glue console: ${consoleUrl(run.id, 'failing script')}`, `Error log: ${errorLogUrl(run.id)}`]);
    expect(lines.at(-1)).toMatch(
      /^The run failed, but its error log \(\/aws-glue\/jobs\/error, stream jr_\w+\) could not be read: the worker may not read it \(.*\); allow logs:GetLogEvents on log group \/aws-glue\/jobs\/error to see it here\.$/,
    );
    expect(lines.some((line) => line.startsWith('Last '))).toBe(false);
  });

  test("with Glue's error message, what the run cost, and a line saying why its error log could not be read, for a run that has none", async () => {
    const errorMessage = 'AnalysisException: Path does not exist: s3://etl-data-lake/validated/orders/2024-01-15/';
    await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 1, finalState: 'FAILED', errorMessage, executionTimeSeconds: 600 }]);

    const failure = await glueStep().catch((err: unknown) => err);

    const [run] = await recordedRuns();
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'GlueJobFailed', nonRetryable: true });
    expect((failure as ApplicationFailure).message.split('\n')).toEqual([
      `Glue job ${jobName} run ${run.id} FAILED: ${errorMessage}`,
      `Glue console: ${consoleUrl(run.id)}`,
      `Error log: ${errorLogUrl(run.id)}`,
      'Billed as it ran: 1200 DPU-seconds, est. 0.15 USD',
      '',
      `The run failed, but its error log (/aws-glue/jobs/error, stream ${run.id}) could not be read: it does not exist (The specified log stream does not exist.); Glue writes it once the run's driver starts.`,
    ]);
    expect((failure as ApplicationFailure).details?.[0]).toMatchObject({
      dpuSeconds: 1200,
      estimatedCost: { amount: 0.146667, currency: 'USD', dpuHourPrice: 0.44 },
    });
  });
});

test('a job already at its concurrent-runs limit fails the attempt so that Temporal retries it later', async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 10 }]);
  await glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: { '--etl_run_key': 'another-date' } }));

  await expect(start()).rejects.toMatchObject({
    type: 'GlueConcurrentRunsExceeded',
    nonRetryable: false,
  });
  expect(await recordedRuns()).toHaveLength(1);
});

test('a missing job fails for good and says how to fix it', async () => {
  const missing = glueInput(withStep(pipeline, 'glue', { jobName: 'transform-ordrs' }));

  await expect(start(missing)).rejects.toMatchObject({
    type: 'GlueJobNotFound',
    nonRetryable: true,
    message: expect.stringMatching(/create the job in Glue, or fix the glue step's jobName/),
  });
});

test('stopGlueJobRun stops the run, and waiting for it then fails for good saying it was stopped', async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 10 }]);
  const { jobRunId } = await start();

  await activityEnvironment().run(activities.stopGlueJobRun, { jobName, jobRunId });

  const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: jobRunId }));
  expect(JobRun?.JobRunState).toBe('STOPPED');
  const wait = activityEnvironment().run(activities.waitForGlueJobRun, { jobName, jobRunId, pollInterval });
  await expect(wait).rejects.toMatchObject({ type: 'GlueJobFailed', nonRetryable: true, message: expect.stringContaining(`run ${jobRunId} STOPPED`) });
});

test('runGlueJob, the one-activity step that runs started before the step was split still schedule, waits for the run', async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 2, dpuSeconds: 840 }]);

  const result = await activityEnvironment().run(activities.runGlueJob, input);

  const [run] = await recordedRuns();
  expect(result).toMatchObject({ jobRunId: run.id, adopted: false, state: 'SUCCEEDED', dpuSeconds: 840 });
});

describe('inputs scheduled by runs on earlier workflow code, with the whole pipeline config', () => {
  test('start the same run, with the same arguments', async () => {
    await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 1 }]);
    const earlier: Parameters<typeof activities.runGlueJob>[0] = { pipeline: legacyPipeline(pipeline), date: glueDate, runKey: glueRunKey };

    const result = await activityEnvironment().run(activities.runGlueJob, earlier);

    const [run] = await recordedRuns();
    expect(result).toMatchObject({ jobRunId: run.id, jobName, adopted: false, state: 'SUCCEEDED' });
    expect(run.arguments).toEqual(renderedArguments());
  });

  test("read the same job's concurrency cap", async () => {
    const cap = (input: Parameters<typeof activities.glueMaxConcurrentRuns>[0]) => activityEnvironment().run(activities.glueMaxConcurrentRuns, input);

    expect(await cap(legacyPipeline(pipeline))).toBe(await cap({ jobName }));
  });
});

test('cancelling runGlueJob stops the Glue run', async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 10 }]);
  const env = activityEnvironment();
  const attempt = startAttempt(env, activities.runGlueJob, input);
  await attempt.started;

  env.cancel();

  await expect(attempt.result).rejects.toBeInstanceOf(CancelledFailure);
  const [run] = await recordedRuns();
  const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: run.id }));
  expect(JobRun?.JobRunState).toBe('STOPPED');
});

describe("the date's earlier processed output", () => {
  const earlierOutput = ['part-0000.parquet', 'part-0001.parquet', 'nested/part-0002.parquet'];

  async function landEarlierOutput(bucketName = bucket, folder = processed) {
    for (const name of earlierOutput) await putObject(aws.s3, bucketName, `${folder}${name}`, `earlier run: ${name}`);
    // Neighbours that a prefix without its "/" would also match, and another date.
    await putObject(aws.s3, bucketName, `${folder.replace(/\/$/, '_old/')}part-0000.parquet`, 'kept');
    await putObject(aws.s3, bucketName, `${folder.replace('2024-01-15', '2024-01-14')}part-0000.parquet`, 'kept');
  }

  test('is deleted before a new run starts; neighbouring folders and other dates are untouched', async () => {
    await landEarlierOutput();

    const result = await start();

    expect(await listKeys(aws.s3, bucket, processed)).toEqual([]);
    expect(await listKeys(aws.s3, bucket, 'processed/')).toEqual([
      'processed/orders/order_date=2024-01-14/part-0000.parquet',
      'processed/orders/order_date=2024-01-15_old/part-0000.parquet',
    ]);
    expect(result).toMatchObject({
      adopted: false,
      previousOutput: { source: `s3://${bucket}/${processed}`, action: 'deleted', objects: 3 },
    });
  });

  test('with previousOutput: archive, is moved under the archive prefix, in a folder of the pipeline run', async () => {
    await landEarlierOutput();
    const archiving = glueInput(withStep(pipeline, 'glue', { previousOutput: 'archive' }));

    const result = await start(archiving);

    const archived = 'archive/orders/2024-01-15/processed/etl-orders-2024-01-15/run-1/';
    expect(await listKeys(aws.s3, bucket, processed)).toEqual([]);
    expect(await listKeys(aws.s3, bucket, archived)).toEqual(earlierOutput.map((name) => `${archived}${name}`).sort());
    expect(result).toMatchObject({
      previousOutput: { action: 'archived', objects: 3, archivedTo: `s3://${bucket}/${archived}` },
    });
  });

  test('in a bucket of its own, is cleared there', async () => {
    const otherBucket = 'etl-processed';
    await createBucket(aws.s3, otherBucket);
    await landEarlierOutput(otherBucket, 'orders/2024-01-15/');
    await landEarlierOutput();
    const output = `s3://${otherBucket}/orders/{{date}}/`;

    const result = await start(glueInput(withStep(pipeline, 'glue', { output })));

    expect(await listKeys(aws.s3, otherBucket, 'orders/2024-01-15/')).toEqual([]);
    expect(await listKeys(aws.s3, otherBucket)).toHaveLength(2);
    expect(await listKeys(aws.s3, bucket, processed)).toHaveLength(3);
    expect(result).toMatchObject({ previousOutput: { source: `s3://${otherBucket}/orders/2024-01-15/`, objects: 3 } });
  });

  test('is left alone when an attempt adopts the run an earlier attempt started', async () => {
    await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 2 }]);
    // The earlier attempt cleared the folder and started the run, which wrote its output; then its heartbeat was lost.
    await glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: { '--etl_run_key': input.runKey } }));
    await landEarlierOutput();

    const result = await start();

    expect(result).toMatchObject({ adopted: true });
    expect(await listKeys(aws.s3, bucket, processed)).toHaveLength(3);
    expect(await recordedRuns()).toHaveLength(1);
  });

  test('is left alone when a retry resumes the run named in its heartbeat details', async () => {
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: jobName }));
    await landEarlierOutput();

    const result = await start(input, activityEnvironment({ heartbeatDetails: { jobRunId: JobRunId } }));

    expect(result).toMatchObject({ jobRunId: JobRunId, adopted: true });
    expect(await listKeys(aws.s3, bucket, processed)).toHaveLength(3);
  });

  test.each([
    ['names no date', 's3://etl-data-lake/processed/orders/', 'is the same for every date'],
    ['is a folder validation keeps files in', 's3://etl-data-lake/validated/orders/{{date}}/', 'overlaps s3://etl-data-lake/validated/orders/'],
  ])('an output folder that %s is refused before anything is deleted or started', async (_case, output, why) => {
    await putObject(aws.s3, bucket, 'validated/orders/2024-01-15/orders_part1.csv', 'validated file');

    const failure = await start(glueInput(withStep(pipeline, 'glue', { output }))).catch((err: unknown) => err);

    expect(failure).toMatchObject({ type: 'UnsafeCopySource', nonRetryable: true, message: expect.stringContaining(why) });
    expect(await listKeys(aws.s3, bucket, 'validated/')).toHaveLength(1);
    expect(await recordedRuns()).toHaveLength(0);
  });
});

describe('run settings and cost', () => {
  const sized = withStep(pipeline, 'glue', {
    workerType: 'G.2X',
    numberOfWorkers: 10,
    timeout: 120,
    forTrigger: { backfill: { executionClass: 'FLEX', numberOfWorkers: 4 } },
  });

  /** The step for a run of `trigger`: started, then waited for at the given prices. */
  async function sizedStep(trigger: Trigger, cost?: CostConfig) {
    const started = await start(glueStartInput(sized, stepOf(sized, 'glue'), glueDate, glueRunKey, trigger));
    const figures: GlueRunFigures = await activityEnvironment().run(activities.waitForGlueJobRun, {
      jobName,
      jobRunId: started.jobRunId,
      pollInterval,
      cost,
    });
    return { ...started, ...figures };
  }

  test("a backfill's run gets its trigger's FLEX settings over the step's own; the step reports Glue's DPU-seconds and their FLEX price", async () => {
    await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 0, executionTimeSeconds: 600 }]);

    const result = await sizedStep('backfill');

    const runs = await recordedRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ capacity: { executionClass: 'FLEX', workerType: 'G.2X', numberOfWorkers: 4, maxCapacity: 8 }, timeoutMinutes: 120 });
    // 600 s × 4 G.2X workers of 2 DPUs, reported by Glue for a FLEX run: 4,800 DPU-seconds, 1.33 DPU-hours at 0.29 USD.
    expect(result).toMatchObject({
      executionClass: 'FLEX',
      workerType: 'G.2X',
      numberOfWorkers: 4,
      dpuSeconds: 4800,
      estimatedCost: { amount: 0.386667, currency: 'USD', dpuHourPrice: 0.29 },
    });
  });

  test("a manual run gets the step's own settings and, without DPUSeconds from Glue, is costed from its execution time and capacity at the pipeline's prices", async () => {
    await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 0, executionTimeSeconds: 600 }]);

    const result = await sizedStep('manual', { dpuHourPrice: { STANDARD: 0.5, FLEX: 0.3 }, currency: 'EUR' });

    const [run] = await recordedRuns();
    expect(run).toMatchObject({ capacity: { executionClass: 'STANDARD', workerType: 'G.2X', numberOfWorkers: 10, maxCapacity: 20 }, timeoutMinutes: 120 });
    // 600 s × 20 DPUs: 12,000 DPU-seconds, 3.33 DPU-hours at 0.50 EUR.
    expect(result).toMatchObject({
      executionClass: 'STANDARD',
      maxCapacity: 20,
      dpuSeconds: 12000,
      estimatedCost: { amount: 1.666667, currency: 'EUR', dpuHourPrice: 0.5 },
    });
  });

  test('an input recorded before the settings existed starts the run on the job definition, and costs it at the default prices', async () => {
    await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 0, executionTimeSeconds: 60 }]);
    const {
      executionClass: _class,
      workerType: _type,
      numberOfWorkers: _workers,
      timeout: _timeout,
      ...recorded
    } = glueStartInput(sized, stepOf(sized, 'glue'), glueDate, glueRunKey, 'backfill');

    const started = await start(recorded);
    const figures = await activityEnvironment().run(activities.waitForGlueJobRun, { jobName, jobRunId: started.jobRunId, pollInterval });

    const [run] = await recordedRuns();
    expect(run).toMatchObject({ capacity: { executionClass: 'STANDARD', workerType: 'G.1X', numberOfWorkers: 2 }, timeoutMinutes: 2880 });
    expect(figures).toMatchObject({ dpuSeconds: 120, estimatedCost: { amount: 0.014667, currency: 'USD', dpuHourPrice: 0.44 } });
  });
});
