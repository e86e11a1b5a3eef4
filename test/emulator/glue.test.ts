import {
  BatchStopJobRunCommand,
  CreateJobCommand,
  GetJobCommand,
  GetJobRunCommand,
  GetJobRunsCommand,
  GlueClient,
  StartJobRunCommand,
  type ExecutionClass,
  type JobRun,
  type StartJobRunCommandInput,
  type WorkerType,
} from '@aws-sdk/client-glue';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';

const jobName = 'orders-transform';
let emulator: RunningEmulator;
let glue: GlueClient;
let control: EmulatorControl;

beforeAll(async () => {
  emulator = await startEmulator();
  glue = new GlueClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  control = new EmulatorControl(emulator.url);
});

afterAll(async () => {
  glue.destroy();
  await emulator.close();
});

beforeEach(() => control.reset());

async function createJob(maxConcurrentRuns?: number): Promise<void> {
  await glue.send(
    new CreateJobCommand({
      Name: jobName,
      Role: 'arn:aws:iam::123456789012:role/GlueJobRole',
      Command: { Name: 'glueetl', ScriptLocation: 's3://etl-bucket/scripts/orders-transform.py' },
      ExecutionProperty: maxConcurrentRuns === undefined ? undefined : { MaxConcurrentRuns: maxConcurrentRuns },
    }),
  );
}

async function startRun(args: Record<string, string> = {}): Promise<string> {
  const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: args }));
  return JobRunId!;
}

async function getRun(runId: string): Promise<JobRun> {
  const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }));
  return JobRun!;
}

/** Polls GetJobRun as the Glue activity does; returns the states seen and the final run. */
async function pollUntilDone(runId: string): Promise<{ states: string[]; run: JobRun }> {
  const states: string[] = [];
  for (let poll = 0; poll < 20; poll++) {
    const run = await getRun(runId);
    states.push(run.JobRunState!);
    if (!['STARTING', 'RUNNING', 'STOPPING'].includes(run.JobRunState!)) return { states, run };
  }
  throw new Error(`run ${runId} did not finish; states seen: ${states.join(', ')}`);
}

test('a job is created and read back with its settings', async () => {
  await createJob(3);

  const { Job } = await glue.send(new GetJobCommand({ JobName: jobName }));

  expect(Job).toMatchObject({
    Name: jobName,
    Role: 'arn:aws:iam::123456789012:role/GlueJobRole',
    Command: { Name: 'glueetl', ScriptLocation: 's3://etl-bucket/scripts/orders-transform.py' },
    ExecutionProperty: { MaxConcurrentRuns: 3 },
  });
  expect(Job!.CreatedOn).toBeInstanceOf(Date);
});

test('an unscripted run keeps its arguments, runs, and succeeds on the second poll', async () => {
  await createJob();
  const runId = await startRun({ '--run_date': '2024-01-15' });

  const { states, run } = await pollUntilDone(runId);

  expect(states).toEqual(['RUNNING', 'SUCCEEDED']);
  expect(run).toMatchObject({ Id: runId, JobName: jobName, Arguments: { '--run_date': '2024-01-15' } });
  expect(run.StartedOn).toBeInstanceOf(Date);
  expect(run.CompletedOn).toBeInstanceOf(Date);
  expect(run.ExecutionTime).toEqual(expect.any(Number));
  // Two G.1X workers, as the job names none; Glue gives DPUSeconds only for FLEX and auto-scaling runs.
  expect(run).toMatchObject({ ExecutionClass: 'STANDARD', WorkerType: 'G.1X', NumberOfWorkers: 2, MaxCapacity: 2 });
  expect(run.DPUSeconds).toBeUndefined();
  expect(run.ErrorMessage).toBeUndefined();
});

describe('run settings', () => {
  const start = (settings: Partial<StartJobRunCommandInput>) => glue.send(new StartJobRunCommand({ JobName: jobName, ...settings }));

  test('a FLEX run on the workers it was started with reports them, and DPUSeconds as Glue does for FLEX', async () => {
    await createJob();
    await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 1, executionTimeSeconds: 600 }]);

    const { JobRunId } = await start({ ExecutionClass: 'FLEX', WorkerType: 'G.2X', NumberOfWorkers: 5, Timeout: 90 });

    const { run } = await pollUntilDone(JobRunId!);
    expect(run).toMatchObject({
      ExecutionClass: 'FLEX',
      WorkerType: 'G.2X',
      NumberOfWorkers: 5,
      MaxCapacity: 10,
      Timeout: 90,
      ExecutionTime: 600,
      DPUSeconds: 6000,
    });
  });

  test("a run takes what StartJobRun leaves out from the job's definition", async () => {
    await glue.send(
      new CreateJobCommand({
        Name: jobName,
        Role: 'arn:aws:iam::123456789012:role/GlueJobRole',
        Command: { Name: 'glueetl', ScriptLocation: 's3://etl-bucket/scripts/orders-transform.py' },
        ExecutionClass: 'FLEX',
        WorkerType: 'G.1X',
        NumberOfWorkers: 10,
      }),
    );

    const { JobRunId } = await start({ NumberOfWorkers: 3 });

    expect(await getRun(JobRunId!)).toMatchObject({ ExecutionClass: 'FLEX', WorkerType: 'G.1X', NumberOfWorkers: 3, MaxCapacity: 3 });
  });

  test.each([
    [{ WorkerType: 'G.1X' as const, NumberOfWorkers: 2, MaxCapacity: 2 }, 'Please do not set Max Capacity if using Worker Type and Number of Workers.'],
    [{ WorkerType: 'G.1X' as const }, 'Please set both Worker Type and Number of Workers.'],
    [{ WorkerType: 'G.3X' as WorkerType, NumberOfWorkers: 2 }, /^WorkerType G.3X is not one of G.025X, G.1X/],
    [{ ExecutionClass: 'SPOT' as ExecutionClass }, 'ExecutionClass must be one of STANDARD, FLEX; got SPOT.'],
    [{ Timeout: 0 }, 'Timeout must be a whole number of minutes, at least 1; got 0.'],
  ])('StartJobRun with %j is refused as Glue refuses it', async (settings, message) => {
    await createJob();

    await expect(start(settings)).rejects.toMatchObject({ name: 'InvalidInputException', message });
    expect((await control.recorded()).glue.runs).toHaveLength(0);
  });

  test('FLEX is refused for a job that is not a Spark ETL job', async () => {
    await glue.send(
      new CreateJobCommand({
        Name: jobName,
        Role: 'arn:aws:iam::123456789012:role/GlueJobRole',
        Command: { Name: 'pythonshell', ScriptLocation: 's3://etl-bucket/x.py' },
      }),
    );

    await expect(start({ ExecutionClass: 'FLEX' })).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: expect.stringContaining('command type glueetl'),
    });
  });
});

test('a scripted failure reports its error message and figures', async () => {
  await createJob();
  await control.setGlueOutcomes(jobName, [
    {
      pollsUntilDone: 3,
      finalState: 'FAILED',
      errorMessage: 'AnalysisException: cannot resolve column order_total',
      executionTimeSeconds: 42,
      dpuSeconds: 120,
    },
  ]);

  const { states, run } = await pollUntilDone(await startRun());

  expect(states).toEqual(['RUNNING', 'RUNNING', 'FAILED']);
  expect(run).toMatchObject({
    JobRunState: 'FAILED',
    ErrorMessage: 'AnalysisException: cannot resolve column order_total',
    ExecutionTime: 42,
    DPUSeconds: 120,
  });
});

test('scripted outcomes apply to the next runs in order and the last one repeats', async () => {
  await createJob();
  await control.setGlueOutcomes(jobName, [
    { pollsUntilDone: 1, finalState: 'TIMEOUT' },
    { finalState: 'ERROR', errorMessage: 'Out of memory' },
  ]);

  const finals: JobRun[] = [];
  for (let run = 0; run < 3; run++) finals.push((await pollUntilDone(await startRun())).run);

  expect(finals.map((run) => run.JobRunState)).toEqual(['TIMEOUT', 'ERROR', 'ERROR']);
  expect(finals[0].ErrorMessage).toEqual(expect.any(String));
  expect(finals[2].ErrorMessage).toBe('Out of memory');
});

test('a job without ExecutionProperty allows one run at a time, like AWS', async () => {
  await createJob();
  const first = await startRun();

  await expect(startRun()).rejects.toMatchObject({ name: 'ConcurrentRunsExceededException' });

  await pollUntilDone(first);
  await expect(startRun()).resolves.toEqual(expect.any(String));
});

test('MaxConcurrentRuns is enforced and the highest concurrency is recorded', async () => {
  await createJob(3);
  const runIds = [await startRun(), await startRun(), await startRun()];

  await expect(startRun()).rejects.toMatchObject({
    name: 'ConcurrentRunsExceededException',
    message: expect.stringContaining('MaxConcurrentRuns is 3'),
  });

  await pollUntilDone(runIds[0]);
  await startRun();
  const recorded = await control.recorded();
  expect(recorded.glue.maxConcurrentRuns).toEqual({ [jobName]: 3 });
  expect(recorded.glue.runs).toHaveLength(4);
});

test('BatchStopJobRun stops a running run, which then reports STOPPED and frees its slot', async () => {
  await createJob();
  const runId = await startRun();
  expect((await getRun(runId)).JobRunState).toBe('RUNNING');

  const stop = await glue.send(new BatchStopJobRunCommand({ JobName: jobName, JobRunIds: [runId, 'jr_unknown'] }));

  expect(stop.SuccessfulSubmissions).toEqual([{ JobName: jobName, JobRunId: runId }]);
  expect(stop.Errors).toEqual([
    { JobName: jobName, JobRunId: 'jr_unknown', ErrorDetail: { ErrorCode: 'EntityNotFoundException', ErrorMessage: expect.any(String) } },
  ]);
  const stopped = await getRun(runId);
  expect(stopped.JobRunState).toBe('STOPPED');
  expect(stopped.CompletedOn).toBeInstanceOf(Date);
  await expect(startRun()).resolves.toEqual(expect.any(String));

  const stopAgain = await glue.send(new BatchStopJobRunCommand({ JobName: jobName, JobRunIds: [runId] }));
  expect(stopAgain.SuccessfulSubmissions).toEqual([]);
  expect(stopAgain.Errors![0].ErrorDetail!.ErrorMessage).toContain('STOPPED');
});

test('GetJobRuns lists runs newest first, in pages, so a run can be found by an argument', async () => {
  await createJob(5);
  const runIds: string[] = [];
  for (let run = 1; run <= 5; run++) runIds.push(await startRun({ '--run_key': `orders/2024-01-1${run}` }));

  const pages: JobRun[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await glue.send(new GetJobRunsCommand({ JobName: jobName, MaxResults: 2, NextToken: nextToken }));
    pages.push(page.JobRuns!);
    nextToken = page.NextToken;
  } while (nextToken);

  expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
  const listed = pages.flat();
  expect(listed.map((run) => run.Id)).toEqual([...runIds].reverse());
  expect(listed.find((run) => run.Arguments?.['--run_key'] === 'orders/2024-01-13')?.Id).toBe(runIds[2]);
});

test('unknown jobs and runs, and duplicate jobs, raise the AWS exceptions', async () => {
  await expect(startRun()).rejects.toMatchObject({ name: 'EntityNotFoundException', message: expect.stringContaining(jobName) });

  await createJob();
  await expect(getRun('jr_unknown')).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  await expect(createJob()).rejects.toMatchObject({ name: 'AlreadyExistsException' });
});
