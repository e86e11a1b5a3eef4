import { CreateJobCommand, GetJobRunCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { ActivityCancellationDetails, ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { createGlueActivities, type RunGlueJobInput } from '../../src/activities/glue/activity';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';
import { activityEnvironment, startAttempt } from '../support/activities';
import { testPipeline } from '../support/pipelines';
import { createAwsClients } from '../../src/worker/awsClients';

const pipeline = testPipeline();
const jobName = pipeline.glue.jobName;
const input: RunGlueJobInput = { pipeline, date: '2024-01-15', runKey: 'etl-orders-2024-01-15/run-1' };

let emulator: RunningEmulator;
let control: EmulatorControl;
let glue: GlueClient;
let runGlueJob: ReturnType<typeof createGlueActivities>['runGlueJob'];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  control = new EmulatorControl(emulator.url);
  // The worker's own client factory, pointed at the emulator.
  glue = createAwsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, endpoints: { glue: emulator.url } }).glue;
  ({ runGlueJob } = createGlueActivities({ glue }));
});

afterAll(async () => {
  glue.destroy();
  await emulator.close();
});

beforeEach(async () => {
  await control.reset();
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

test('runs the job for the date and reports its run id and DPU figures', async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 2, finalState: 'SUCCEEDED', executionTimeSeconds: 420, dpuSeconds: 840 }]);

  const result = await activityEnvironment().run(runGlueJob, input);

  const [run] = await recordedRuns();
  expect(result).toMatchObject({
    jobRunId: run.id,
    jobName,
    adopted: false,
    state: 'SUCCEEDED',
    executionTimeSeconds: 420,
    dpuSeconds: 840,
    startedOn: expect.any(String),
    completedOn: expect.any(String),
  });
  expect(run.arguments).toEqual({
    '--execution_date': '2024-01-15',
    '--source_path': 's3://etl-data-lake/validated/orders/2024-01-15/',
    '--target_path': 's3://etl-data-lake/processed/orders/order_date=2024-01-15/',
    '--etl_run_key': input.runKey,
  });
});

test('an attempt whose heartbeat was lost adopts the run it started instead of starting a second one', async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 4 }]);
  const first = activityEnvironment();
  const attempt = startAttempt(first, runGlueJob, input);
  await attempt.started;
  // The worker shuts down: the run keeps going for the next attempt, which never saw the heartbeat.
  first.cancel('WORKER_SHUTDOWN', new ActivityCancellationDetails({ workerShutdown: true }));
  await expect(attempt.result).rejects.toBeInstanceOf(CancelledFailure);

  const result = await activityEnvironment().run(runGlueJob, input);

  const runs = await recordedRuns();
  expect(runs).toHaveLength(1);
  expect(result).toMatchObject({ jobRunId: runs[0].id, adopted: true, state: 'SUCCEEDED' });
});

test('a retry resumes the run named in its heartbeat details', async () => {
  const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: jobName }));

  const result = await activityEnvironment({ heartbeatDetails: { jobRunId: JobRunId } }).run(runGlueJob, input);

  expect(result).toMatchObject({ jobRunId: JobRunId, adopted: true, state: 'SUCCEEDED' });
  expect(await recordedRuns()).toHaveLength(1);
});

test("a failed run fails for good with Glue's error message", async () => {
  const errorMessage = 'AnalysisException: Path does not exist: s3://etl-data-lake/validated/orders/2024-01-15/';
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 1, finalState: 'FAILED', errorMessage }]);

  const failure = await activityEnvironment().run(runGlueJob, input).catch((err: unknown) => err);

  const [run] = await recordedRuns();
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({
    type: 'GlueJobFailed',
    nonRetryable: true,
    message: `Glue job ${jobName} run ${run.id} FAILED: ${errorMessage}`,
  });
});

test('a job already at its concurrent-runs limit fails the attempt so that Temporal retries it later', async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 10 }]);
  await glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: { '--etl_run_key': 'another-date' } }));

  await expect(activityEnvironment().run(runGlueJob, input)).rejects.toMatchObject({
    type: 'GlueConcurrentRunsExceeded',
    nonRetryable: false,
  });
  expect(await recordedRuns()).toHaveLength(1);
});

test('a missing job fails for good and says how to fix it', async () => {
  const missing = { ...input, pipeline: { ...pipeline, glue: { ...pipeline.glue, jobName: 'transform-ordrs' } } };

  await expect(activityEnvironment().run(runGlueJob, missing)).rejects.toMatchObject({
    type: 'GlueJobNotFound',
    nonRetryable: true,
    message: expect.stringMatching(/create the job in Glue, or fix glue.jobName/),
  });
});

test('cancelling the activity stops the Glue run', async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 10 }]);
  const env = activityEnvironment();
  const attempt = startAttempt(env, runGlueJob, input);
  await attempt.started;

  env.cancel();

  await expect(attempt.result).rejects.toBeInstanceOf(CancelledFailure);
  const [run] = await recordedRuns();
  const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: run.id }));
  expect(JobRun?.JobRunState).toBe('STOPPED');
});
