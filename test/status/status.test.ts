import { startOrAttach, type StartedRun } from '../../src/client/operations/startRun';
import { waitForRun } from '../../src/client/operations/waitForRun';
import type { RunLinks } from '../../src/client/operations/runLink';
import { runStatusByDate, type DateStatusRow } from '../../src/client/operations/runHistory';
import { withRunCosts } from '../../src/client/operations/runCost';
import { statusGrid } from '../../src/client/commands/status/output';
import { provisionPipelines } from '../../src/local/provision';
import { etl } from '../support/etl';
import { landOrderFiles } from '../support/orderFiles';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { stepOf, testPipeline } from '../support/pipelines';

/** `etl status` on a real stack: one date succeeded, one failed at load, one running, one never ran. */

const pipeline = testPipeline();
const range = { from: '2024-03-01', to: '2024-03-04' };
let stack: PipelineStack;
let links: RunLinks;
const runIds: Record<string, string> = {};
let running: StartedRun;

beforeAll(async () => {
  stack = await startPipelineStack(pipeline);
  const { env, control, aws } = stack;
  links = { uiUrl: stack.uiUrl, namespace: env.namespace ?? 'default' };
  await control.reset();
  await provisionPipelines(aws, [pipeline]);
  await landOrderFiles(aws.s3, pipeline, ['2024-03-01', '2024-03-02', '2024-03-03']);
  const runToEnd = async (date: string) => {
    const run = await startOrAttach(env.client, { pipeline, date, trigger: 'manual' });
    runIds[date] = run.runId;
    await waitForRun(run, () => undefined, 100);
  };
  await runToEnd('2024-03-01');
  await control.setRedshiftRules([{ match: '^COPY', finalState: 'FAILED', error: 'S3ServiceException: Access Denied' }]);
  await runToEnd('2024-03-02');
  // A Glue run that does not finish while the test looks.
  await control.setGlueOutcomes(stepOf(pipeline, 'glue').jobName, [{ pollsUntilDone: 100_000, finalState: 'SUCCEEDED' }]);
  running = await startOrAttach(env.client, { pipeline, date: '2024-03-03', trigger: 'manual' });
  runIds['2024-03-03'] = running.runId;
});

afterAll(async () => {
  await running?.handle.cancel().catch(() => undefined);
  await stack?.stop();
});

/** Visibility is eventually consistent: read it until the running date has reached Glue and the others have closed. */
async function settledRows(): Promise<DateStatusRow[]> {
  for (let tries = 0; ; tries++) {
    const rows = await runStatusByDate(stack.env.client, links, pipeline.name, range);
    if ((rows[1].outcome === 'failed' && rows[2].step === 'glue') || tries >= 100) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const link = (date: string) => `${stack.uiUrl}/namespaces/default/workflows/etl-orders-${date}/${runIds[date]}/history`;

test('the grid shows each date’s latest outcome, the step it failed at or is running, its estimated Glue cost and its UI link', async () => {
  const rows = await settledRows();

  expect(rows).toMatchObject([
    { date: '2024-03-01', outcome: 'succeeded', trigger: 'manual', uiUrl: link('2024-03-01') },
    { date: '2024-03-02', outcome: 'failed', step: 'load', trigger: 'manual', uiUrl: link('2024-03-02') },
    { date: '2024-03-03', outcome: 'running', step: 'glue', trigger: 'manual', uiUrl: link('2024-03-03') },
    { date: '2024-03-04', outcome: 'neverRan' },
  ]);
  expect(rows[3].uiUrl).toBeUndefined();

  const grid = statusGrid(pipeline.name, await withRunCosts(stack.env.client, rows), new Date());
  const [header, ...lines] = grid;
  expect(header).toMatch(/^DATE {2,}OUTCOME {2,}TRIGGER {2,}STARTED \(UTC\) {2,}DURATION {2,}COST \(EST\.\) {2,}TEMPORAL UI$/);
  const cells = lines.slice(0, 4).map((line) => line.split(/ {2,}/));
  expect(cells.map(([date, outcome, trigger]) => [date, outcome, trigger])).toEqual([
    ['2024-03-01', 'succeeded', 'manual'],
    ['2024-03-02', 'failed at load', 'manual'],
    ['2024-03-03', 'running at glue', 'manual'],
    ['2024-03-04', 'never ran', '-'],
  ]);
  expect(cells[0][3]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  expect(cells[0][4]).toMatch(/^(<1s|\d+s|\d+m \d+s)$/);
  expect(cells[2][4]).toMatch(/ so far$/);
  // The Glue run of each date that got past it, 2 G.1X workers, at the STANDARD list price: well under a cent.
  expect([cells[0][5], cells[1][5], cells[2][5]]).toEqual([expect.stringMatching(/^0\.0\d+ USD$/), expect.stringMatching(/^0\.0\d+ USD$/), '-']);
  expect(cells[0][6]).toBe(link('2024-03-01'));
  expect(cells[3].slice(3)).toEqual(['-', '-', '-', '-']);
  // Aligned: every column starts where its title does.
  const starts = ['OUTCOME', 'TRIGGER', 'STARTED', 'DURATION', 'COST', 'TEMPORAL'].map((title) => header.indexOf(title));
  for (const line of lines.slice(0, 4)) for (const start of starts) expect(line.slice(start - 2, start + 1)).toMatch(/^ {2}\S$/);
  expect(grid[grid.length - 1]).toBe('orders 2024-03-01 to 2024-03-04: 1 succeeded, 1 failed, 1 running, 1 never ran');
});

test('etl status prints the same grid, and with --json the same rows', async () => {
  await settledRows();
  const cluster = { TEMPORAL_ADDRESS: stack.env.address, TEMPORAL_UI_URL: stack.uiUrl };
  const args = ['status', '--pipeline', 'orders', '--from', range.from, '--to', range.to];

  const json = etl([...args, '--json'], cluster);
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toMatchObject([
    {
      date: '2024-03-01',
      outcome: 'succeeded',
      trigger: 'manual',
      workflowId: 'etl-orders-2024-03-01',
      runId: runIds['2024-03-01'],
      uiUrl: link('2024-03-01'),
      cost: { amount: expect.any(Number), currency: 'USD' },
    },
    {
      date: '2024-03-02',
      outcome: 'failed',
      step: 'load',
      runId: runIds['2024-03-02'],
      durationMs: expect.any(Number),
      cost: { amount: expect.any(Number), currency: 'USD' },
    },
    { date: '2024-03-03', outcome: 'running', step: 'glue', runId: runIds['2024-03-03'] },
    { date: '2024-03-04', outcome: 'neverRan' },
  ]);

  const text = etl(args, cluster);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/^2024-03-02 +failed at load +manual /m);
  expect(text.stdout).toContain(link('2024-03-02'));
  expect(text.stdout.trim().split('\n').pop()).toBe('orders 2024-03-01 to 2024-03-04: 1 succeeded, 1 failed, 1 running, 1 never ran');
});
