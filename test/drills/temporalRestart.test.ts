import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun } from '../../src/client/operations/waitForRun';
import type { PipelineConfig } from '../../src/config/schema';
import { eventually } from '../support/processes';
import { drillPipeline, landSampleFiles, sampleRunEffects, startDrillStack, type DrillStack } from './drillStack';
import { withHeldGlueJob } from './killPoints';

/**
 * Drill: the Temporal dev server is stopped and started again on the same port and database file while a run
 * waits on its Glue job. The worker, left running, reconnects by itself and the run completes with its effects
 * counted once.
 */

let stack: DrillStack;

beforeAll(async () => {
  stack = await startDrillStack();
  await stack.startWorker();
});

afterAll(() => stack?.stop());

test('a run survives a restart of the Temporal server: the worker reconnects and the run completes once', async () => {
  const date = '2024-03-01';
  const releaseFile = join(stack.work, 'release');
  const base = drillPipeline();
  const pipeline: PipelineConfig = withHeldGlueJob(base, releaseFile);
  await stack.provision(pipeline);
  await landSampleFiles(stack.aws, pipeline, date);
  await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  await eventually('the Glue run to be running', async () => (await stack.control.recorded()).glue.runs.some((r) => r.state === 'RUNNING') || undefined, 1200);

  await stack.restartTemporal();
  writeFileSync(releaseFile, '');
  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  const outcome = await waitForRun(run, () => undefined, 100);

  expect(run.attached).toBe(true);
  expect(outcome.outcome).toBe('succeeded');
  expect(await stack.effects(pipeline, date)).toEqual(sampleRunEffects(date));
});
