import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun } from '../../src/client/operations/waitForRun';
import { drillPipeline, landSampleFiles, sampleRunEffects, startDrillStack, type DrillStack } from './drillStack';

/**
 * Drill: a worker with two activity slots and a cache of two runs is handed twelve dates at once. Steps queue
 * for a slot and evicted runs replay, and every date still completes with its effects counted once.
 */

const dates = Array.from({ length: 12 }, (_, i) => `2024-06-${String(i + 1).padStart(2, '0')}`);
let stack: DrillStack;
const pipeline = drillPipeline();

beforeAll(async () => {
  stack = await startDrillStack();
  await stack.provision(pipeline);
  await stack.startWorker({ ETL_MAX_CONCURRENT_ACTIVITIES: '2', ETL_MAX_CACHED_WORKFLOWS: '2' });
});

afterAll(() => stack?.stop());

test('twelve dates on a worker with two activity slots: every date completes, each once', async () => {
  for (const date of dates) await landSampleFiles(stack.aws, pipeline, date);
  const runs = await Promise.all(dates.map((date) => startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' })));
  const ends = await Promise.all(runs.map((run) => waitForRun(run, () => undefined, 200)));

  expect(ends.map((end) => end.outcome)).toEqual(dates.map(() => 'succeeded'));
  for (const date of dates) expect(await stack.effects(pipeline, date)).toEqual(sampleRunEffects(date));
});
