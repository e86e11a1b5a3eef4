import { CreateJobCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { BatchExecuteStatementCommand } from '@aws-sdk/client-redshift-data';
import { EmulatorControl, startEmulator, type Fault, type RunningEmulator } from '../../src/local/emulator';
import { createAwsClients } from '../../src/aws/awsClients';

const jobName = 'orders-transform';
let emulator: RunningEmulator;
let control: EmulatorControl;
/** One attempt per call, so each scripted answer reaches the test as it was sent. */
let glue: GlueClient;

beforeAll(async () => {
  emulator = await startEmulator();
  control = new EmulatorControl(emulator.url);
  glue = new GlueClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
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
      Role: 'GlueJobRole',
      Command: { Name: 'glueetl', ScriptLocation: 's3://etl-bucket/job.py' },
      ExecutionProperty: { MaxConcurrentRuns: 5 },
    }),
  );
});

const startRun = () => glue.send(new StartJobRunCommand({ JobName: jobName }));

async function runCount(): Promise<number> {
  return (await control.recorded()).glue.runs.length;
}

test('a request scripted to answer 500 is carried out first: the Glue run starts', async () => {
  await control.setFaults([{ target: 'AWSGlue.StartJobRun', answer: 'serverError' }]);

  await expect(startRun()).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });

  expect(await runCount()).toBe(1);
  expect((await control.recorded()).requests.at(-1)).toMatchObject({ target: 'AWSGlue.StartJobRun', fault: 'serverError' });
});

test('a request scripted to drop the connection is carried out, then gets no answer at all', async () => {
  await control.setFaults([{ target: 'AWSGlue.StartJobRun', answer: 'dropConnection' }]);

  await expect(startRun()).rejects.toThrow(/socket hang up/);

  expect(await runCount()).toBe(1);
});

test('a fault applies to the next `times` accepted requests to its target, then requests are answered again', async () => {
  await control.setFaults([{ target: 'AWSGlue.StartJobRun', answer: 'serverError', times: 2 }]);

  await expect(startRun()).rejects.toMatchObject({ name: 'InternalFailure' });
  await expect(startRun()).rejects.toMatchObject({ name: 'InternalFailure' });
  await expect(startRun()).resolves.toMatchObject({ JobRunId: expect.any(String) });

  expect(await runCount()).toBe(3);
});

test('requests to other targets, and requests the service refuses, do not use a fault', async () => {
  await control.setFaults([{ target: 'AWSGlue.StartJobRun', answer: 'serverError' }]);

  await expect(glue.send(new StartJobRunCommand({ JobName: 'no-such-job' }))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  await expect(glue.send(new CreateJobCommand({ Name: 'another-job', Role: 'GlueJobRole', Command: { Name: 'glueetl' } }))).resolves.toBeDefined();
  await expect(startRun()).rejects.toMatchObject({ name: 'InternalFailure' });
});

test('reset forgets the faults', async () => {
  await control.setFaults([{ target: 'AWSGlue.StartJobRun', answer: 'serverError' }]);
  await control.reset();
  await glue.send(new CreateJobCommand({ Name: jobName, Role: 'GlueJobRole', Command: { Name: 'glueetl' } }));

  await expect(startRun()).resolves.toMatchObject({ JobRunId: expect.any(String) });
});

test('invalid faults are refused with the reason', async () => {
  await expect(control.setFaults([{ target: 'AWSGlue.StartJobRun', answer: 'timeout' } as unknown as Fault])).rejects.toThrow(/answer/);
  await expect(control.setFaults([{ target: 'AWSGlue.StartJobRuns', answer: 'serverError' }])).rejects.toThrow(
    /does not serve: AWSGlue.StartJobRuns\. It serves: .*AWSGlue.StartJobRun,/,
  );
});

test("the worker's clients still retry an idempotent call: a BatchExecuteStatement answered 500 gives one statement through its ClientToken", async () => {
  const { redshiftData } = createAwsClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    endpoints: { redshiftData: emulator.url },
  });
  await control.setFaults([{ target: 'RedshiftData.BatchExecuteStatement', answer: 'serverError' }]);
  try {
    const { Id } = await redshiftData.send(
      new BatchExecuteStatementCommand({ WorkgroupName: 'analytics', Database: 'dev', Sqls: ['SELECT 1'], ClientToken: 'etl-orders-2024-01-15-load' }),
    );

    const { statements } = (await control.recorded()).redshift;
    expect(statements).toHaveLength(1);
    expect(statements[0].id).toBe(Id);
  } finally {
    redshiftData.destroy();
  }
});
