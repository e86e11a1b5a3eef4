import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun } from '../../src/client/operations/waitForRun';
import { uploadSampleFiles } from '../../src/local/sampleData';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { testPipeline } from '../support/pipelines';

/** A pipeline that names its own task queue runs there, on the workers started for that queue. */

const pipeline = testPipeline({ taskQueue: 'etl-finance' });
const date = '2024-01-15';
let stack: PipelineStack;

beforeAll(async () => {
  stack = await startPipelineStack(pipeline);
});

afterAll(() => stack?.stop());

test("a run goes to its pipeline's task queue and succeeds on that queue's worker", async () => {
  await uploadSampleFiles(stack.aws.s3, pipeline, date);

  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  const outcome = await waitForRun(run, () => undefined, 100);

  expect(outcome.outcome).toBe('succeeded');
  expect((await run.handle.describe()).taskQueue).toBe('etl-finance');
});
