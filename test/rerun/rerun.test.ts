import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun } from '../../src/client/operations/waitForRun';
import type { RunLinks } from '../../src/client/operations/runLink';
import { startRerun } from '../../src/client/operations/rerun';
import { UsageError } from '../../src/client/errors';
import { provisionPipelines } from '../../src/local/provision';
import { pipelineWorkflowId } from '../../src/shared/ids';
import type { StepProgress } from '../../src/shared/pipelineRun';
import { etl } from '../support/etl';
import { landOrderFiles } from '../support/orderFiles';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { stepOf, testPipeline } from '../support/pipelines';
import { runSql } from '../../src/redshift/runSql';
import { redshiftOf } from '../../src/shared/activityInputs';

/** `etl rerun --from-step` on a real stack: dev server + worker + moto + the Glue/Redshift emulator. */

const pipeline = testPipeline();
let stack: PipelineStack;
let links: RunLinks;

beforeAll(async () => {
  stack = await startPipelineStack(pipeline);
  links = { uiUrl: stack.uiUrl, namespace: stack.env.namespace ?? 'default' };
});
afterAll(() => stack?.stop());

/** A manual run of the date, to its end. */
async function runDate(date: string) {
  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  return { runId: run.runId, ...(await waitForRun(run, () => undefined, 100)) };
}

test('rerun --from-step load after a run failed at load reuses the validation and the Glue run, and runs the rest', async () => {
  const { control, aws, env } = stack;
  const date = '2024-02-01';
  await control.reset();
  await provisionPipelines(aws, [pipeline]);
  await landOrderFiles(aws.s3, pipeline, [date]);
  await control.setRedshiftRules([{ match: '^COPY', finalState: 'FAILED', error: 'S3ServiceException: Access Denied' }]);
  const failed = await runDate(date);
  expect(failed.outcome).toBe('failed');
  await control.setRedshiftRules([]);

  const { run, reuse } = await startRerun(env.client, links, { pipeline, date, fromStep: 'load' });
  const steps: StepProgress[] = [];
  const outcome = await waitForRun(run, (step) => steps.push(step), 100);

  expect(outcome.outcome).toBe('succeeded');
  expect(reuse?.fromRun).toBe(failed.runId);
  expect(steps.map((s) => `${s.step}:${s.status}`)).toEqual(['validate:skipped', 'glue:skipped', 'load:succeeded', 'refresh:succeeded', 'notify:succeeded']);
  expect(steps[1].detail).toMatch(new RegExp(`^reused from run ${failed.runId}: run jr_\\S+ SUCCEEDED`));
  const recorded = await control.recorded();
  // Glue ran once, for the first run; the rerun did not start another.
  expect(recorded.glue.runs).toHaveLength(1);
  // The first run's COPY failed; the rerun loaded the Glue run's output and refreshed the views.
  const batches = recorded.redshift.statements.filter((s) => s.statementName?.startsWith('etl-'));
  expect(batches.map((s) => [s.statementName, s.status])).toEqual([
    [`etl-orders-${date}-load`, 'FAILED'],
    [`etl-orders-${date}-load`, 'FINISHED'],
    [`etl-orders-${date}-refresh`, 'FINISHED'],
  ]);
  const { rows } = await runSql(aws.redshiftData, redshiftOf(pipeline), `SELECT order_id FROM public.fct_orders WHERE order_date = '${date}'`);
  expect(rows).toEqual([[`O-${date}`]]);
  if (outcome.outcome !== 'succeeded') return;
  expect(outcome.result.steps.glue).toMatchObject({ jobRunId: recorded.glue.runs[0].id });
  // The first run's validation, which moved the file; validating again would have found nothing left in raw/.
  expect(outcome.result.steps.validate).toMatchObject({
    files: [{ key: `${pipeline.s3.prefixes.raw}${date}/orders.csv`, outcome: 'validated' }],
    previouslyValidatedFiles: 0,
  });
});

test('rerun --from-step load after a run that failed at glue is refused: exit 2, says why, starts nothing', async () => {
  const { control, aws, env, uiUrl } = stack;
  const date = '2024-02-02';
  await control.reset();
  await provisionPipelines(aws, [pipeline]);
  await landOrderFiles(aws.s3, pipeline, [date]);
  await control.setGlueOutcomes(stepOf(pipeline, 'glue').jobName, [{ pollsUntilDone: 1, finalState: 'FAILED', errorMessage: 'OutOfMemoryError' }]);
  const failed = await runDate(date);
  expect(failed.outcome).toBe('failed');

  const reason = `cannot rerun orders ${date} from load: its latest run ${failed.runId} did not confirm Run Glue job (glue): the run failed at glue`;
  const refused = startRerun(env.client, links, { pipeline, date, fromStep: 'load' });
  await expect(refused).rejects.toThrow(UsageError);
  await expect(refused).rejects.toThrow(reason);

  // The CLI reaches the same server as a remote cluster would be reached.
  const cli = etl(['rerun', '--pipeline', 'orders', '--date', date, '--from-step', 'load'], { TEMPORAL_ADDRESS: env.address, TEMPORAL_UI_URL: uiUrl });
  expect(cli.code).toBe(2);
  expect(cli.stderr.trim().split('\n')).toHaveLength(1);
  expect(cli.stderr).toContain(reason);
  expect(cli.stderr).toContain(`Rerun from glue instead: \`etl rerun --pipeline orders --date ${date} --from-step glue\``);
  expect(cli.stderr).toContain(`${uiUrl}/namespaces/default/workflows/etl-orders-${date}/${failed.runId}/history`);

  const workflowId = pipelineWorkflowId(pipeline.name, date);
  expect((await env.client.workflow.getHandle(workflowId).describe()).runId).toBe(failed.runId);
  expect((await control.recorded()).glue.runs).toHaveLength(1);
});
