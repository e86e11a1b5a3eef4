import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CloudWatchLogsClient, GetLogEventsCommand, type GetLogEventsRequest, type GetLogEventsResponse } from '@aws-sdk/client-cloudwatch-logs';
import { BatchStopJobRunCommand, CreateJobCommand, GetJobRunCommand, GlueClient, StartJobRunCommand, type JobRun } from '@aws-sdk/client-glue';
import { EmulatorControl, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/local/emulator';
import { eventually, processGone } from '../support/processes';

const scripts = join(__dirname, 'jobScripts');
const jobName = 'scripted-job';
/** A job's Timeout minute lasts this long here, so a timeout test does not wait minutes. */
const timeoutMinuteMs = 1000;
const s3 = { endpoint: 'http://127.0.0.1:4566', region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

let emulator: RunningEmulator;
let glue: GlueClient;
let control: EmulatorControl;
let work: string;
let logDir: string;

async function startWithClient(options: EmulatorOptions): Promise<{ emulator: RunningEmulator; glue: GlueClient }> {
  const started = await startEmulator(options);
  const client = new GlueClient({ endpoint: started.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  return { emulator: started, glue: client };
}

beforeAll(async () => {
  logDir = mkdtempSync(join(tmpdir(), 'glue-logs-'));
  ({ emulator, glue } = await startWithClient({ s3, glue: { timeoutMinuteMs, logDir } }));
  control = new EmulatorControl(emulator.url);
});

afterAll(async () => {
  glue.destroy();
  await emulator.close();
  rmSync(logDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await control.reset();
  work = mkdtempSync(join(tmpdir(), 'glue-scripts-'));
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

async function createJob(
  scriptLocation: string,
  settings: { maxConcurrentRuns?: number; timeoutMinutes?: number; defaultArguments?: Record<string, string> } = {},
  client = glue,
): Promise<void> {
  await client.send(
    new CreateJobCommand({
      Name: jobName,
      Role: 'arn:aws:iam::123456789012:role/GlueJobRole',
      Command: { Name: 'glueetl', ScriptLocation: scriptLocation },
      ExecutionProperty: { MaxConcurrentRuns: settings.maxConcurrentRuns ?? 1 },
      Timeout: settings.timeoutMinutes,
      DefaultArguments: settings.defaultArguments,
    }),
  );
}

async function startRun(args: Record<string, string> = {}, client = glue): Promise<string> {
  const { JobRunId } = await client.send(new StartJobRunCommand({ JobName: jobName, Arguments: args }));
  return JobRunId!;
}

async function getRun(runId: string): Promise<JobRun> {
  const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }));
  return JobRun!;
}

/** Polls GetJobRun as the Glue activity does, until the run has ended. */
function finalRun(runId: string): Promise<JobRun> {
  return eventually(`run ${runId} to end`, async () => {
    const run = await getRun(runId);
    return ['STARTING', 'RUNNING', 'STOPPING'].includes(run.JobRunState!) ? undefined : run;
  });
}

/** Starts sleepsWithChild.sh and returns the run and the pids of the script and of the child it started. */
async function startSleepingRun(client = glue): Promise<{ runId: string; pids: number[] }> {
  const pidFile = join(work, `pids-${Math.random()}`);
  const runId = await startRun({ '--pid_file': pidFile }, client);
  const pids = await eventually('the script to write its pids', () =>
    existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim().split(' ').map(Number) : undefined,
  );
  return { runId, pids };
}

test('a run executes the job script with the Glue arguments in argv and the local S3 in its environment, and succeeds on exit 0', async () => {
  await createJob(pathToFileURL(join(scripts, 'reportsAndWaits.py')).href, {
    defaultArguments: { '--source_path': 's3://etl-data-lake/validated/', '--execution_date': 'set by each run' },
  });
  const reportFile = join(work, 'report.json');
  const releaseFile = join(work, 'release');

  const runId = await startRun({ '--execution_date': '2024-01-15', '--report_file': reportFile, '--release_file': releaseFile });
  const report = await eventually('the script to report', () => (existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : undefined));
  expect((await getRun(runId)).JobRunState).toBe('RUNNING');
  // The run lasts at least a second, so its ExecutionTime is not 0.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  writeFileSync(releaseFile, '');
  const run = await finalRun(runId);

  expect(report).toEqual({
    argv: [
      '--JOB_NAME',
      jobName,
      '--JOB_RUN_ID',
      runId,
      '--source_path',
      's3://etl-data-lake/validated/',
      '--execution_date',
      '2024-01-15',
      '--report_file',
      reportFile,
      '--release_file',
      releaseFile,
    ],
    s3Endpoint: s3.endpoint,
    region: s3.region,
  });
  expect(run).toMatchObject({ JobRunState: 'SUCCEEDED', Arguments: { '--execution_date': '2024-01-15' } });
  expect(run.ErrorMessage).toBeUndefined();
  expect(run.ExecutionTime).toBeGreaterThanOrEqual(1);
  expect(run.CompletedOn!.getTime() - run.StartedOn!.getTime()).toBeGreaterThanOrEqual(1000);
  expect(run.MaxCapacity).toBe(2);
});

test('a script that exits non-zero fails the run with the end of its stderr as ErrorMessage; its log keeps all its output', async () => {
  await createJob(join(scripts, 'fails.py'));

  const runId = await startRun();
  const run = await finalRun(runId);

  expect(run.JobRunState).toBe('FAILED');
  expect(run.ErrorMessage).toMatch(/^fails\.py exited with code 1:\n/);
  expect(run.ErrorMessage).toMatch(/ValueError: no CSV files under s3:\/\/etl-data-lake\/validated\/orders\/2024-01-15\/$/);
  expect(run.ErrorMessage).toContain('progress line 99');
  expect(run.ErrorMessage).not.toContain('progress line 0:');
  expect(Buffer.byteLength(run.ErrorMessage!)).toBeLessThan(2200);
  const log = readFileSync(join(logDir, jobName, `${runId}.log`), 'utf8');
  expect(log).toContain('reading the input\n');
  expect(log).toContain('progress line 0:');
});

test('BatchStopJobRun stops the script and everything it started; the run ends STOPPED and frees its slot', async () => {
  await createJob(join(scripts, 'sleepsWithChild.sh'));
  const { runId, pids } = await startSleepingRun();
  expect((await getRun(runId)).JobRunState).toBe('RUNNING');
  expect(pids.filter(processGone)).toEqual([]);

  const stop = await glue.send(new BatchStopJobRunCommand({ JobName: jobName, JobRunIds: [runId] }));
  const run = await finalRun(runId);

  expect(stop.SuccessfulSubmissions).toEqual([{ JobName: jobName, JobRunId: runId }]);
  expect(run.JobRunState).toBe('STOPPED');
  expect(run.CompletedOn).toBeInstanceOf(Date);
  expect(pids.filter((pid) => !processGone(pid))).toEqual([]);
  const next = await startSleepingRun();
  await glue.send(new BatchStopJobRunCommand({ JobName: jobName, JobRunIds: [next.runId] }));
  expect((await finalRun(next.runId)).JobRunState).toBe('STOPPED');
});

test("a script still running past the job's Timeout is stopped and the run ends TIMEOUT", async () => {
  await createJob(join(scripts, 'sleepsWithChild.sh'), { timeoutMinutes: 1 });
  const { runId, pids } = await startSleepingRun();

  const run = await finalRun(runId);

  expect(run).toMatchObject({ JobRunState: 'TIMEOUT', Timeout: 1 });
  expect(run.ErrorMessage).toContain('Timeout of 1 minute(s)');
  expect(pids.filter((pid) => !processGone(pid))).toEqual([]);
});

test('StartJobRun Timeout overrides the job one', async () => {
  await createJob(join(scripts, 'sleepsWithChild.sh'));
  const pidFile = join(work, 'pids');

  const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: { '--pid_file': pidFile }, Timeout: 1 }));

  expect(await finalRun(JobRunId!)).toMatchObject({ JobRunState: 'TIMEOUT', Timeout: 1 });
});

test('MaxConcurrentRuns counts running scripts', async () => {
  await createJob(join(scripts, 'sleepsWithChild.sh'), { maxConcurrentRuns: 2 });
  const runs = [await startSleepingRun(), await startSleepingRun()];

  await expect(startRun({ '--pid_file': join(work, 'third') })).rejects.toMatchObject({ name: 'ConcurrentRunsExceededException' });

  await glue.send(new BatchStopJobRunCommand({ JobName: jobName, JobRunIds: runs.map((run) => run.runId) }));
  for (const { runId } of runs) await finalRun(runId);
  expect((await control.recorded()).glue.maxConcurrentRuns).toEqual({ [jobName]: 2 });
});

test('a scripted outcome overrides the script, which does not run', async () => {
  await createJob(join(scripts, 'reportsAndWaits.py'));
  await control.setGlueOutcomes(jobName, [{ pollsUntilDone: 1, finalState: 'FAILED', errorMessage: 'scripted failure' }]);
  const reportFile = join(work, 'report.json');

  const run = await finalRun(await startRun({ '--report_file': reportFile, '--release_file': join(work, 'release') }));

  expect(run).toMatchObject({ JobRunState: 'FAILED', ErrorMessage: 'scripted failure' });
  expect(existsSync(reportFile)).toBe(false);
});

test('a script that cannot be started fails the run saying why', async () => {
  await createJob(join(work, 'missing.sh'));

  const run = await finalRun(await startRun());

  expect(run.JobRunState).toBe('FAILED');
  expect(run.ErrorMessage).toMatch(/^missing\.sh could not start:\n.*ENOENT/);
});

test('closing the emulator stops the scripts it still runs', async () => {
  const other = await startWithClient({ s3 });
  let closed = false;
  try {
    await createJob(join(scripts, 'sleepsWithChild.sh'), {}, other.glue);
    const { pids } = await startSleepingRun(other.glue);

    await other.emulator.close();
    closed = true;

    expect(pids.filter((pid) => !processGone(pid))).toEqual([]);
  } finally {
    other.glue.destroy();
    if (!closed) await other.emulator.close();
  }
});

describe("a run's output in CloudWatch Logs", () => {
  let logs: CloudWatchLogsClient;
  beforeAll(() => {
    logs = new CloudWatchLogsClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterAll(() => logs.destroy());

  const events = (logGroupName: string, logStreamName: string, page: Partial<GetLogEventsRequest> = {}) =>
    logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, ...page }));
  const messages = (page: GetLogEventsResponse) => page.events?.map((event) => event.message);

  test('stderr is the run id stream of /aws-glue/jobs/error and stdout of /aws-glue/jobs/output, a line an event with its time', async () => {
    await createJob(join(scripts, 'fails.py'));
    const runId = await startRun();
    const run = await finalRun(runId);

    const last = await events('/aws-glue/jobs/error', runId, { startFromHead: false, limit: 3 });
    const before = await events('/aws-glue/jobs/error', runId, { nextToken: last.nextBackwardToken, limit: 2 });
    const first = await events('/aws-glue/jobs/error', runId, { startFromHead: true, limit: 1 });
    const output = await events('/aws-glue/jobs/output', runId);

    expect(run.JobRunState).toBe('FAILED');
    expect(messages(last)).toEqual([
      'progress line 98: reading part 98 of the input',
      'progress line 99: reading part 99 of the input',
      'ValueError: no CSV files under s3://etl-data-lake/validated/orders/2024-01-15/',
    ]);
    expect(messages(before)).toEqual(['progress line 96: reading part 96 of the input', 'progress line 97: reading part 97 of the input']);
    expect(messages(first)).toEqual(['progress line 0: reading part 0 of the input']);
    expect(messages(output)).toEqual(['reading the input']);
    for (const { timestamp } of last.events!) {
      expect(timestamp).toBeGreaterThanOrEqual(run.StartedOn!.getTime());
      expect(timestamp).toBeLessThanOrEqual(run.CompletedOn!.getTime());
    }
  });

  test('a run whose script is not local has no stream, and an unknown group is not found either', async () => {
    await createJob('s3://etl-data-lake/scripts/transform-orders.py');
    const runId = await startRun();

    await expect(events('/aws-glue/jobs/error', runId)).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    await expect(events('/aws-glue/jobs/nope', runId)).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });
});
