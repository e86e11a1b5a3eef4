import { loadPipeline } from '../../src/config/load';
import { provisionPipelines } from '../../src/local/provision';
import { datesBetween } from '../../src/shared/dates';
import { backfillWorkflowId } from '../../src/shared/ids';
import { sampleOrdersElsewhere } from '../config/pipelineFiles';
import { etlAsync } from '../support/etl';
import { landOrderFiles } from '../support/orderFiles';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';

/** `etl backfill` as a user runs it (the built CLI), against the dev server with a worker, moto and the emulator. */

// The sample config with fast polls, in a folder of its own that the commands are pointed at.
const configDir = sampleOrdersElsewhere((text) => text.replace(/pollInterval: \w+/g, 'pollInterval: 50ms'));
const pipeline = loadPipeline('orders', configDir);

let stack: PipelineStack;
let cliEnv: Record<string, string>;

beforeAll(async () => {
  stack = await startPipelineStack(pipeline);
  cliEnv = { TEMPORAL_ADDRESS: stack.env.address, TEMPORAL_NAMESPACE: 'default', TEMPORAL_UI_URL: stack.uiUrl };
});
afterAll(() => stack?.stop());

const backfill = (from: string, to: string, ...options: string[]) =>
  etlAsync(['backfill', '--pipeline', 'orders', '--from', from, '--to', to, '--config-dir', configDir, ...options], cliEnv);

test('--wait shows progress, then lists the failed date with its step and error and the command that reruns it', async () => {
  await stack.control.reset();
  await provisionPipelines(stack.aws, [pipeline]);
  await landOrderFiles(stack.aws.s3, pipeline, datesBetween('2024-05-01', '2024-05-06'));
  await stack.control.setRedshiftRules([{ match: `^COPY .*2024-05-03`, finalState: 'FAILED', error: 'S3ServiceException: The specified key does not exist' }]);

  const { code, stdout } = await backfill('2024-05-01', '2024-05-06', '--concurrency', '5', '--wait');

  expect(code).toBe(1);
  expect(stdout).toContain(
    `Started backfill of 6 date(s) of orders 2024-05-01 to 2024-05-06, up to 5 at once: ${backfillWorkflowId('orders', '2024-05-01', '2024-05-06')}`,
  );
  expect(stdout).toContain(`Temporal UI: ${stack.uiUrl}/namespaces/default/workflows/etl-backfill-orders-2024-05-01-2024-05-06/`);
  // Not a terminal: plain progress lines, the last one when every date is done.
  expect(stdout).toMatch(/^6\/6 dates done: 5 succeeded, 1 failed; 0 running, 0 pending; ETA 0s$/m);
  expect(stdout).toContain('Backfill finished: 5 of 6 date(s) succeeded, 1 failed.');
  expect(stdout).toContain("Ran 3 date(s) at once, not 5: the Glue job's MaxConcurrentRuns allows no more.");
  expect(stdout).toContain('Views refreshed once: analytics.daily_sales, analytics.customer_metrics');
  expect(stdout).toMatch(/Failed dates:\n {2}2024-05-03 {2}load .*S3ServiceException: The specified key does not exist/);
  expect(stdout).toContain(
    `Rerun just the failed dates:\n  etl backfill --pipeline orders --from 2024-05-03 --to 2024-05-03 --only failed --config-dir ${JSON.stringify(configDir)}`,
  );
});

test('--dry-run prints each date it would run and why, and the Glue cost estimated from recent runs, and starts nothing', async () => {
  await stack.control.reset();
  await provisionPipelines(stack.aws, [pipeline]);
  const earlier = stack.env.client.workflow.getHandle(backfillWorkflowId('orders', '2024-05-01', '2024-05-06'));
  const before = await earlier.describe();

  const failed = await backfill('2024-05-01', '2024-05-06', '--only', 'failed', '--dry-run');
  const all = await backfill('2024-05-02', '2024-05-03', '--dry-run');
  const missing = await backfill('2024-05-01', '2024-05-08', '--only', 'missing', '--dry-run');
  const json = await backfill('2024-05-06', '2024-05-07', '--dry-run', '--json');

  // The estimate averages the five dates the backfill above ran to success, each a local Glue run billed for Glue's
  // one-minute minimum on 2 G.1X workers: 120 DPU-seconds at 0.44 USD per DPU-hour, 0.014667 USD.
  const estimate = (dates: number) =>
    `Estimated Glue cost: 0\\.0\\d+ USD, ${dates} date\\(s\\) at 0\\.01 USD, the average of the latest 5 succeeded run\\(s\\)\\.\\n$`;
  expect(failed.code).toBe(0);
  expect(failed.stdout).toMatch(
    new RegExp(`would run 1 date\\(s\\); nothing was started\\.\\n {2}2024-05-03 {2}failed at load \\(last run ended \\S+Z\\)\\n${estimate(1)}`),
  );
  expect(all.stdout).toMatch(/ {2}2024-05-02 {2}requested; succeeded \(last run ended \S+\)\n {2}2024-05-03 {2}requested; failed at load/);
  expect(missing.stdout).toMatch(
    new RegExp(`would run 2 date\\(s\\); nothing was started\\.\\n {2}2024-05-07 {2}never ran\\n {2}2024-05-08 {2}never ran\\n${estimate(2)}`),
  );
  // --json: each date's latest outcome as an identifier, beside the reason in words.
  expect(JSON.parse(json.stdout)).toMatchObject({
    dryRun: true,
    dates: [
      { date: '2024-05-06', outcome: 'succeeded', reason: expect.stringMatching(/^requested; succeeded \(last run ended /) },
      { date: '2024-05-07', outcome: 'neverRan', reason: 'requested; never ran' },
    ],
    estimatedCost: { perDate: { amount: expect.any(Number), currency: 'USD' }, total: { amount: expect.any(Number), currency: 'USD' }, fromRuns: 5 },
  });
  const { perDate, total } = JSON.parse(json.stdout).estimatedCost;
  expect(perDate.amount).toBeCloseTo(0.014667, 6);
  expect(total.amount).toBeCloseTo(perDate.amount * 2, 6);
  const recorded = await stack.control.recorded();
  expect(recorded.glue.runs).toEqual([]);
  // Nothing ran: no load or refresh (the statements provisioning sent are the DDL's).
  expect(recorded.redshift.statements.filter((statement) => statement.statementName?.startsWith('etl-'))).toEqual([]);
  expect((await earlier.describe()).runId).toBe(before.runId);
});

test('the printed rerun command reruns just the failed date; --json prints one document', async () => {
  await stack.control.reset();
  await provisionPipelines(stack.aws, [pipeline]);

  const { code, stdout } = await backfill('2024-05-03', '2024-05-03', '--only', 'failed', '--wait', '--json');

  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toMatchObject({
    workflowId: 'etl-backfill-orders-2024-05-03-2024-05-03',
    dates: ['2024-05-03'],
    outcome: 'succeeded',
    result: { total: 1, succeeded: 1, failed: 0, refresh: { outcome: 'succeeded' } },
  });
  expect((await stack.control.recorded()).glue.runs.map((run) => run.arguments['--execution_date'])).toEqual(['2024-05-03']);
});

test('without --wait it prints the backfill id and its UI link, and leaves it running', async () => {
  await stack.control.reset();
  await provisionPipelines(stack.aws, [pipeline]);
  await landOrderFiles(stack.aws.s3, pipeline, ['2024-05-07']);

  const { code, stdout } = await backfill('2024-05-07', '2024-05-07');

  expect(code).toBe(0);
  expect(stdout).toContain('Started backfill of 1 date(s) of orders 2024-05-07 to 2024-05-07, up to 1 at once: etl-backfill-orders-2024-05-07-2024-05-07');
  expect(stdout).toContain(`Temporal UI: ${stack.uiUrl}/namespaces/default/workflows/etl-backfill-orders-2024-05-07-2024-05-07/`);
  const result = await stack.env.client.workflow.getHandle('etl-backfill-orders-2024-05-07-2024-05-07').result();
  expect(result).toMatchObject({ total: 1, succeeded: 1 });
});
