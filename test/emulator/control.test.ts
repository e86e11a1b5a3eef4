import { CreateJobCommand, DeleteJobCommand, GetJobCommand, GetJobRunCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { ExecuteStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { EmulatorControl, startEmulator, type GlueOutcome, type RunningEmulator } from '../../src/local/emulator';

const jobName = 'orders-transform';
const sql = 'REFRESH MATERIALIZED VIEW public.mv_daily_orders';
let emulator: RunningEmulator;
let glue: GlueClient;
let redshift: RedshiftDataClient;
let control: EmulatorControl;

beforeAll(async () => {
  emulator = await startEmulator();
  const clientConfig = {
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  glue = new GlueClient(clientConfig);
  redshift = new RedshiftDataClient(clientConfig);
  control = new EmulatorControl(emulator.url);
});

afterAll(async () => {
  glue.destroy();
  redshift.destroy();
  await emulator.close();
});

beforeEach(() => control.reset());

async function createJobAndStartRun(): Promise<string> {
  await glue.send(new CreateJobCommand({ Name: jobName, Role: 'GlueJobRole', Command: { Name: 'glueetl', ScriptLocation: 's3://etl-bucket/job.py' } }));
  const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: { '--run_date': '2024-01-15' } }));
  return JobRunId!;
}

test('recorded shows every request, the runs and the statements', async () => {
  const runId = await createJobAndStartRun();
  await redshift.send(new ExecuteStatementCommand({ WorkgroupName: 'analytics', Database: 'dev', Sql: sql }));

  const recorded = await control.recorded();

  expect(recorded.requests.map((request) => request.target)).toEqual(['AWSGlue.CreateJob', 'AWSGlue.StartJobRun', 'RedshiftData.ExecuteStatement']);
  expect(recorded.requests[1].body).toMatchObject({ JobName: jobName, Arguments: { '--run_date': '2024-01-15' } });
  expect(recorded.glue.jobs).toEqual([expect.objectContaining({ name: jobName, maxConcurrentRuns: 1 })]);
  expect(recorded.glue.runs).toEqual([
    expect.objectContaining({ id: runId, jobName, arguments: { '--run_date': '2024-01-15' }, state: 'STARTING', startedOn: expect.any(String) }),
  ]);
  expect(recorded.redshift.statements).toEqual([expect.objectContaining({ sqls: [sql], workgroupName: 'analytics' })]);
});

test('reset forgets jobs, runs, statements, scripts and requests', async () => {
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 1, finalState: 'FAILED' }]);
  await createJobAndStartRun();
  await redshift.send(new ExecuteStatementCommand({ WorkgroupName: 'analytics', Database: 'dev', Sql: sql }));

  await control.reset();

  expect(await control.recorded()).toEqual({
    glue: { jobs: [], runs: [], maxConcurrentRuns: {}, crawls: [] },
    redshift: { statements: [] },
    requests: [],
  });
  await expect(glue.send(new GetJobCommand({ JobName: jobName }))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  const runId = await createJobAndStartRun();
  await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }));
  const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }));
  expect(JobRun!.JobRunState).toBe('SUCCEEDED');
});

test('invalid scripts are refused with the reason', async () => {
  await expect(control.setGlueOutcomes(jobName, [{ finalState: 'DONE' } as unknown as GlueOutcome])).rejects.toThrow(/finalState/);
  await expect(control.setRedshiftRules([{ match: 'COPY (' }])).rejects.toThrow(/regular expression/);
});

test('an operation the emulator does not serve fails with a message naming those it does', async () => {
  await expect(glue.send(new DeleteJobCommand({ JobName: jobName }))).rejects.toMatchObject({
    name: 'UnknownOperationException',
    message: expect.stringContaining('AWSGlue.StartJobRun'),
  });
});

test('an unknown control endpoint answers 404 with the list of endpoints', async () => {
  const response = await fetch(`${emulator.url}/_emulator/glue/outcomes`, { method: 'PUT', body: '{}' });

  expect(response.status).toBe(404);
  expect(((await response.json()) as { error: string }).error).toContain('PUT /_emulator/glue/jobs/<jobName>/outcomes');
});
