import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { configVersion } from '../../src/client/operations/configVersion';
import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun } from '../../src/client/operations/waitForRun';
import { projectRoot } from '../../src/local/paths';
import { uploadSampleFiles } from '../../src/local/sampleData';
import { launchChromium } from '../support/browser';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { testPipeline } from '../support/pipelines';

/** What a data engineer checks in the Temporal Web UI after a real run for a date. */

const pipeline = testPipeline();
const date = '2024-01-15';
const nextDate = '2024-01-16';
const screenshots = join(projectRoot, 'test-artifacts', 'ui');
// The UI takes a while to poll visibility and render; generous, since nothing here measures time.
const uiTimeout = { timeout: 30_000 };

let stack: PipelineStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startPipelineStack(pipeline, { withUi: true }), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

test('a run found by its execution date shows its summary, details and each step’s activity', async () => {
  await uploadSampleFiles(stack.aws.s3, pipeline, date);
  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' }, stack.uiUrl);
  expect((await waitForRun(run, () => undefined, 100)).outcome).toBe('succeeded');

  // EtlDate is a Datetime: a date's runs are a half-open range (this server's `=` does not match).
  const byDate = `EtlDate >= '${date}T00:00:00Z' AND EtlDate < '${nextDate}T00:00:00Z'`;
  await page.goto(`${stack.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(byDate)}`);
  await page.getByRole('link', { name: run.workflowId, exact: true }).click(uiTimeout);
  await page.waitForURL(`**/workflows/${run.workflowId}/${run.runId}/**`, uiTimeout);

  await page.getByRole('tab', { name: 'User Metadata' }).click(uiTimeout);
  // The UI renders summary and markdown details in frames of their own.
  const summary = page.frameLocator('#user-metadata-summary');
  await summary.getByText(`orders ${date} (manual)`).waitFor(uiTimeout);
  const details = page.frameLocator('#user-metadata-details');
  for (const text of [
    `Config version ${configVersion(pipeline)}`,
    'Trigger manual',
    `s3://etl-data-lake/raw/orders/${date}/`,
    'transform-orders',
    'public.fct_orders',
  ]) {
    await details.getByText(text).first().waitFor(uiTimeout);
  }
  await page.frameLocator('#user-metadata-current-details').getByText('Succeeded').waitFor(uiTimeout);
  await page.screenshot({ path: join(screenshots, 'run-metadata.png'), fullPage: true });

  // The details link to the pipeline's other runs, in a new tab.
  const [pipelineRuns] = await Promise.all([page.context().waitForEvent('page'), details.getByRole('link', { name: 'All orders runs' }).click(uiTimeout)]);
  await pipelineRuns.getByRole('link', { name: run.workflowId, exact: true }).waitFor(uiTimeout);
  await pipelineRuns.close();

  await page.getByRole('tab', { name: 'Timeline' }).click(uiTimeout);
  // Each activity is labelled "<activity type> • <summary>"; the summary names what the step works on.
  const steps = [
    ['validateFileBatch', `raw/orders/${date}/`],
    ['startGlueJobRun', 'transform-orders'],
    ['submitLoad', 'public.fct_orders'],
    ['submitViewRefresh', 'materialized view'],
    ['sendNotification', 'pipeline-success'],
  ];
  for (const [activityType, subject] of steps) {
    await page.getByText(new RegExp(`^${activityType} • .*${subject}`)).waitFor(uiTimeout);
  }
  await page.screenshot({ path: join(screenshots, 'run-timeline.png'), fullPage: true });
});
