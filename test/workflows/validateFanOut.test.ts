import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FileBatchInput, FinishValidationInput, RoundPlanInput } from '../../src/activities/validation/activity';
import type { PipelineRunInput } from '../../src/shared/pipelineRun';
import type { FileValidation } from '../../src/shared/stepResults';
import { testPipeline, withStep } from '../support/pipelines';
import { eventually } from '../support/processes';
import { createTimeSkippingEnv } from '../support/temporal';
import { stubActivities, stubbedRunner } from './stubbedRun';

/**
 * The validate step fanned out, with its activities stubbed, on the time-skipping server: a round's batches are
 * checked a few at once, the run's current details count files and bytes as batches finish, and the step's
 * result holds every check once, in listing order.
 */

const pipeline = withStep(testPipeline(), 'validate', { batch: { atOnce: 2 } });
const date = '2024-01-15';
const input: PipelineRunInput = { pipeline, date, trigger: 'manual' };
const raw = `raw/orders/${date}/`;

let env: TestWorkflowEnvironment;
let run: ReturnType<typeof stubbedRunner>;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  run = stubbedRunner(env);
});
afterAll(async () => {
  await env?.teardown();
});

/** Batches of one file of 1 MB each, held until released; counts how many are checked at once. */
function heldBatches() {
  const releases: (() => void)[] = [];
  const state = { running: 0, most: 0 };
  const validateFileBatch = async ({ files }: FileBatchInput): Promise<FileValidation[]> => {
    state.most = Math.max(state.most, ++state.running);
    await new Promise<void>((resolve) => releases.push(resolve));
    state.running -= 1;
    return files.map((file) => ({ key: file.key, outcome: 'validated', rows: 10, movedTo: `validated/orders/${date}/${file.name}` }));
  };
  return { validateFileBatch, state, releaseOne: () => releases.shift()?.(), waiting: () => releases.length };
}

const currentDetails = async (handle: WorkflowHandle) => (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '';

const names = ['a.csv', 'b.csv', 'c.csv', 'd.csv', 'e.csv'];
const batches = names.map((name) => [{ key: `${raw}${name}`, name, size: 1_000_000 }]);

test("a round's batches run at most steps.validate.batch.atOnce at a time, and current details count files and bytes done", async () => {
  const held = heldBatches();
  const finished: FinishValidationInput[] = [];
  const { activities } = stubActivities(pipeline, {
    planValidationRound: async ({ round }: RoundPlanInput) =>
      round === 1 ? { batches, ignoredFiles: [], setAsideFiles: [] } : { batches: [], ignoredFiles: [`${raw}_SUCCESS`], setAsideFiles: [] },
    validateFileBatch: held.validateFileBatch,
    finishValidation: async (finish: FinishValidationInput) => {
      finished.push(finish);
      return { files: finish.files, rowsValidated: 50, previouslyValidatedFiles: 0, ignoredFiles: finish.ignoredFiles, setAsideFiles: finish.setAsideFiles };
    },
  });

  const seen: string[] = [];
  const { result } = await run(activities, input, async (handle) => {
    await eventually('two batches held', () => (held.waiting() === 2 ? true : undefined));
    seen.push(await currentDetails(handle));
    held.releaseOne();
    await eventually('a third batch held', () => (held.waiting() === 2 ? true : undefined));
    seen.push(await eventually('one batch counted', async () => ((await currentDetails(handle)).includes('1 of 5') ? currentDetails(handle) : undefined)));
    while (held.waiting() > 0 || held.state.running > 0) {
      held.releaseOne();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  expect(seen).toEqual([
    `**Validate files** for orders ${date}: 0 of 5 files, 0.0 of 5.0 MB checked`,
    `**Validate files** for orders ${date}: 1 of 5 files, 1.0 of 5.0 MB checked`,
  ]);
  expect(held.state.most).toBe(2);
  expect(finished).toHaveLength(1);
  expect(finished[0].files.map((file) => file.key)).toEqual(names.map((name) => `${raw}${name}`));
  expect(finished[0].ignoredFiles).toEqual([`${raw}_SUCCESS`]);
  expect(result?.steps.validate).toMatchObject({ rowsValidated: 50, ignoredFiles: [`${raw}_SUCCESS`] });
  expect(result?.outcome).toBe('succeeded');
});

test('cancelling the run cancels the batches being checked, starts no other and settles nothing', async () => {
  const cancelled: string[] = [];
  let started = 0;
  let settled = false;
  const { activities } = stubActivities(pipeline, {
    planValidationRound: async () => ({ batches, ignoredFiles: [], setAsideFiles: [] }),
    validateFileBatch: async ({ files }: FileBatchInput) => {
      started += 1;
      const context = Context.current();
      // Cancellation reaches an activity with its heartbeat.
      const beat = setInterval(() => context.heartbeat(), 50);
      try {
        return await context.cancelled.then(() => []);
      } catch (err) {
        cancelled.push(files[0].name);
        throw err;
      } finally {
        clearInterval(beat);
      }
    },
    finishValidation: async () => {
      settled = true;
      return { files: [], rowsValidated: 0, previouslyValidatedFiles: 0 };
    },
  });

  const { error, progress } = await run(activities, input, async (handle) => {
    await eventually('two batches checking', () => (started === 2 ? true : undefined));
    await handle.cancel();
  });

  expect(error).toMatchObject({ cause: { name: 'CancelledFailure' } });
  expect(cancelled.sort()).toEqual(['a.csv', 'b.csv']);
  expect(started).toBe(2);
  expect(settled).toBe(false);
  expect(progress.steps[0]).toMatchObject({ step: 'validate', status: 'cancelled' });
});
