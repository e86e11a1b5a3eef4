import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateJobCommand, GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import { createGlueActivities } from '../../src/activities/glue/activity';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';
import { activityEnvironment } from '../support/activities';
import { glueJobInput } from '../../src/shared/activityInputs';
import { stepOf, testPipeline } from '../support/pipelines';

/** The backfill reads how many runs the Glue job allows at once, and never asks for more. */

const glueStep = stepOf(testPipeline(), 'glue');

let emulator: RunningEmulator;
let glue: GlueClient;
let glueMaxConcurrentRuns: ReturnType<typeof createGlueActivities>['glueMaxConcurrentRuns'];

beforeAll(async () => {
  emulator = await startEmulator();
  glue = new GlueClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  // Reading the job's limit touches Glue only: the S3 and CloudWatch Logs clients are never called.
  ({ glueMaxConcurrentRuns } = createGlueActivities({ glue, s3: new S3Client({ region: 'us-east-1' }), logs: new CloudWatchLogsClient({ region: 'us-east-1' }) }));
});
afterAll(async () => {
  glue.destroy();
  await emulator.close();
});
beforeEach(() => new EmulatorControl(emulator.url).reset());

async function createJob(name: string, maxConcurrentRuns?: number) {
  await glue.send(
    new CreateJobCommand({
      Name: name,
      Role: 'arn:aws:iam::123456789012:role/GlueJobRole',
      Command: { Name: 'glueetl', ScriptLocation: `s3://etl-data-lake/scripts/${name}.py` },
      ...(maxConcurrentRuns && { ExecutionProperty: { MaxConcurrentRuns: maxConcurrentRuns } }),
    }),
  );
}

test("reads the job's MaxConcurrentRuns", async () => {
  await createJob('transform-orders', 3);
  expect(await activityEnvironment().run(glueMaxConcurrentRuns, glueJobInput(glueStep))).toBe(3);
});

test('a job without ExecutionProperty allows one run at a time, as on AWS', async () => {
  await createJob('transform-orders');
  expect(await activityEnvironment().run(glueMaxConcurrentRuns, glueJobInput(glueStep))).toBe(1);
});

test('a missing job fails without retries, saying what to fix', async () => {
  const failure = await activityEnvironment()
    .run(glueMaxConcurrentRuns, glueJobInput({ ...glueStep, jobName: 'transform-invoices' }))
    .catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: 'GlueJobNotFound', nonRetryable: true });
  expect((failure as Error).message).toContain('Glue job transform-invoices does not exist');
});
