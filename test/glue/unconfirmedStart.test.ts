import { CreateJobCommand } from '@aws-sdk/client-glue';
import { createGlueActivities } from '../../src/activities/glue/activity';
import { EmulatorControl, startEmulator, type FaultAnswer, type RunningEmulator } from '../../src/local/emulator';
import { startMoto, type MotoServer } from '../../src/local/moto';
import { createAwsClients, type AwsClients } from '../../src/aws/awsClients';
import { createBucket } from '../support/aws';
import { stepOf, testPipeline } from '../support/pipelines';
import { glueRunKey, runGlueStep } from './glueStep';

/** A StartJobRun that Glue carried out but whose answer was lost: the pipeline run must still get one Glue run. */

const pipeline = testPipeline();
const { jobName } = stepOf(pipeline, 'glue');

let emulator: RunningEmulator;
let moto: MotoServer;
let control: EmulatorControl;
let aws: AwsClients;
let activities: ReturnType<typeof createGlueActivities>;

beforeAll(async () => {
  [emulator, moto] = await Promise.all([startEmulator(), startMoto()]);
  control = new EmulatorControl(emulator.url);
  // The worker's own clients, with their SDK retry settings; S3 holds the date's processed output a new run clears.
  aws = createAwsClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    endpoints: { glue: emulator.url, s3: moto.endpoint },
  });
  await createBucket(aws.s3, pipeline.s3.bucket);
  activities = createGlueActivities(aws);
});

afterAll(async () => {
  Object.values(aws).forEach((client) => client.destroy());
  await Promise.all([emulator.close(), moto.stop()]);
});

beforeEach(async () => {
  await control.reset();
  await aws.glue.send(
    new CreateJobCommand({
      Name: jobName,
      Role: 'arn:aws:iam::123456789012:role/GlueJobRole',
      Command: { Name: 'glueetl', ScriptLocation: 's3://etl-data-lake/scripts/transform-orders.py' },
      // Room for a duplicate: a limit of 1 would hide a second run behind ConcurrentRunsExceededException.
      ExecutionProperty: { MaxConcurrentRuns: 5 },
    }),
  );
});

test.each<FaultAnswer>(['serverError', 'dropConnection'])(
  'a StartJobRun Glue accepted but answered with %s gives one Glue run, adopted by the retried attempt',
  async (answer) => {
    await control.setFaults([{ target: 'AWSGlue.StartJobRun', answer }]);

    const { result, startAttempts } = await runGlueStep(activities, pipeline);

    const { runs } = (await control.recorded()).glue;
    expect(runs).toHaveLength(1);
    expect(runs[0].arguments['--etl_run_key']).toBe(glueRunKey);
    expect(runs[0].state).toBe('SUCCEEDED');
    expect(result).toMatchObject({ jobRunId: runs[0].id, adopted: true });
    expect(startAttempts).toBe(2);
  },
);

test('idempotent Glue calls keep the SDK retries: a 500 on GetJobRun does not cost a check', async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 1 }]);
  await control.setFaults([{ target: 'AWSGlue.GetJobRun', answer: 'serverError' }]);

  const { result, checks } = await runGlueStep(activities, pipeline);

  expect(result).toMatchObject({ adopted: false, executionTimeSeconds: expect.any(Number) });
  expect(checks).toBe(1);
  expect((await control.recorded()).glue.runs).toHaveLength(1);
});
