import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun } from '../../src/client/operations/waitForRun';
import type { PipelineConfig } from '../../src/config/schema';
import { provisionPipelines } from '../../src/local/provision';
import { receiveNotifications } from '../support/notifications';
import { landOrderFiles } from '../support/orderFiles';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { stepOf, testPipeline, withStep } from '../support/pipelines';
import { eventually, processGone } from '../support/processes';

/** Pipeline runs whose Glue step runs a local job script other than the sample's, on the full local stack. */

const jobScripts = join(__dirname, '../emulator/jobScripts');
const sample = testPipeline();

let stack: PipelineStack;
let work: string;

beforeAll(async () => {
  stack = await startPipelineStack(sample);
  work = mkdtempSync(join(tmpdir(), 'glue-e2e-'));
});

afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The sample pipeline with its own Glue job running `script`, provisioned on the stack. */
async function pipelineRunning(script: string, jobName: string, extraArguments: Record<string, string> = {}): Promise<PipelineConfig> {
  const pipeline = withStep(sample, 'glue', {
    jobName,
    localScript: join(jobScripts, script),
    arguments: { ...stepOf(sample, 'glue').arguments, ...extraArguments },
  });
  await provisionPipelines(stack.aws, [pipeline]);
  return pipeline;
}

test('a Glue script that exits non-zero fails the run at the Glue step, with its stderr in the one alert', async () => {
  const pipeline = await pipelineRunning('fails.py', 'transform-orders-failing');
  const date = '2024-03-01';
  await landOrderFiles(stack.aws.s3, pipeline, [date]);

  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  const outcome = await waitForRun(run, () => undefined, 100);

  expect(outcome).toMatchObject({ outcome: 'failed', error: expect.stringContaining('Run Glue job (glue) failed') });
  const alerts = await receiveNotifications(stack.aws.sqs, stack.queueUrl, 1);
  expect(alerts).toHaveLength(1);
  expect(alerts[0].Message).toContain('Failed step: glue');
  expect(alerts[0].Message).toContain('fails.py exited with code 1');
  expect(alerts[0].Message).toContain('ValueError: no CSV files under s3://etl-data-lake/validated/orders/2024-01-15/');
});

test('cancelling a run stops its Glue script and everything the script started', async () => {
  const pidFile = join(work, 'pids');
  const pipeline = await pipelineRunning('sleepsWithChild.sh', 'transform-orders-sleeping', { '--pid_file': pidFile });
  const date = '2024-03-02';
  await landOrderFiles(stack.aws.s3, pipeline, [date]);

  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  const pids = await eventually('the script to write its pids', () =>
    existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim().split(' ').map(Number) : undefined,
  );
  expect(pids.filter(processGone)).toEqual([]);
  await run.handle.cancel();
  const outcome = await waitForRun(run, () => undefined, 100);

  expect(outcome.outcome).toBe('cancelled');
  // BatchStopJobRun was sent; the run is STOPPED once the script's process has ended.
  await eventually('the Glue run to be STOPPED', async () => {
    const { glue } = await stack.control.recorded();
    return glue.runs.find((candidate) => candidate.jobName === stepOf(pipeline, 'glue').jobName)?.state === 'STOPPED' ? true : undefined;
  });
  expect(pids.filter((pid) => !processGone(pid))).toEqual([]);
});
