import { StartCrawlerCommand } from '@aws-sdk/client-glue';
import type { Duration, RetryPolicy } from '@temporalio/common';
import type { WaitForCrawlerInput } from '../../src/activities/glue/crawler';
import { provisionCrawler } from '../../src/local/provision';
import { errorTypes } from '../../src/shared/errorTypes';
import type { CrawlerStart } from '../../src/shared/stepResults';
import { activityEnvironment } from '../support/activities';
import { useGlueEmulator } from '../support/glueEmulator';
import { runWithRetries } from '../support/retries';

const crawlerName = 'orders-processed-crawler';
const pollInterval: Duration = '10ms';
/** Like the waiting steps' policy: a crawl still running is checked again, a failed or missing crawler is not. */
const waitRetry: RetryPolicy = {
  maximumAttempts: 20,
  nonRetryableErrorTypes: [errorTypes.GlueCrawlerFailed, errorTypes.GlueCrawlerNotFound],
};

const emulated = useGlueEmulator();

beforeEach(() => provisionCrawler(emulated.aws.glue, crawlerName));

const start = (name = crawlerName): Promise<CrawlerStart> => activityEnvironment().run(emulated.activities.startCrawler, { crawlerName: name });
/** The wait as Temporal runs it: checked again after each StillRunning, until the crawler is READY. */
const waitForCrawl = (name = crawlerName) => runWithRetries(waitRetry, emulated.activities.waitForCrawler, [{ crawlerName: name, pollInterval }]);
const recordedCrawls = async () => (await emulated.control.recorded()).glue.crawls;

test('a crawl that succeeds is waited for and reports its duration and tables', async () => {
  await emulated.control.setCrawlOutcomes(crawlerName, [{ pollsUntilDone: 2, tablesCreated: 1, tablesUpdated: 3, runtimeSeconds: 42 }]);

  const started = await start();
  const { result, attempts } = await waitForCrawl();

  expect(started).toEqual({ crawlerName, adopted: false });
  expect(result).toEqual({ startedOn: expect.any(String), durationSeconds: 42, tablesCreated: 1, tablesUpdated: 3, tablesDeleted: 0 });
  expect(attempts).toBe(3);
  expect((await recordedCrawls()).map((crawl) => crawl.status)).toEqual(['SUCCEEDED']);
});

test('a check of a crawl still running fails retryably, so Temporal checks again later', async () => {
  await emulated.control.setCrawlOutcomes(crawlerName, [{ pollsUntilDone: 5 }]);
  await start();

  const slowPolls: WaitForCrawlerInput = { crawlerName, pollInterval: '30s' };
  const check = activityEnvironment().run(emulated.activities.waitForCrawler, slowPolls);

  await expect(check).rejects.toMatchObject({ type: errorTypes.StillRunning, nonRetryable: false, nextRetryDelay: expect.any(Number) });
});

test("a crawl that fails fails the wait for good with the crawler's error message", async () => {
  const errorMessage = 'Service Principal: glue.amazonaws.com is not authorized to perform: s3:GetObject on resource: s3://etl-data-lake/processed/orders/';
  await emulated.control.setCrawlOutcomes(crawlerName, [{ pollsUntilDone: 1, finalStatus: 'FAILED', errorMessage }]);
  await start();

  const failure = waitForCrawl();

  await expect(failure).rejects.toMatchObject({
    type: errorTypes.GlueCrawlerFailed,
    nonRetryable: true,
    message: expect.stringContaining(`Glue crawler ${crawlerName} crawl FAILED: ${errorMessage}`),
  });
  await expect(failure).rejects.toMatchObject({ message: expect.stringContaining(`log group /aws-glue/crawlers, stream ${crawlerName}`) });
});

test('a crawler already running is adopted: the step waits for that crawl and starts none', async () => {
  await emulated.control.setCrawlOutcomes(crawlerName, [{ pollsUntilDone: 3 }]);
  await emulated.aws.glue.send(new StartCrawlerCommand({ Name: crawlerName }));

  const started = await start();
  const { result } = await waitForCrawl();

  expect(started).toEqual({ crawlerName, adopted: true });
  expect(result.startedOn).toEqual(expect.any(String));
  expect(await recordedCrawls()).toHaveLength(1);
});

test('a start whose answer was lost is retried and adopts the crawl it started', async () => {
  await emulated.control.setFaults([{ target: 'AWSGlue.StartCrawler', answer: 'serverError' }]);

  const started = await start();

  expect(started).toEqual({ crawlerName, adopted: true });
  expect(await recordedCrawls()).toHaveLength(1);
});

test('a missing crawler fails for good and says how to fix it', async () => {
  const notFound = { type: errorTypes.GlueCrawlerNotFound, nonRetryable: true, message: expect.stringContaining('create the crawler in Glue') };

  await expect(start('orders-crawlr')).rejects.toMatchObject(notFound);
  await expect(waitForCrawl('orders-crawlr')).rejects.toMatchObject(notFound);
});

test('stopCrawler cancels the crawl, the wait then fails saying so, and stopping a stopped crawler is fine', async () => {
  await emulated.control.setCrawlOutcomes(crawlerName, [{ pollsUntilDone: 10 }]);
  await start();

  await activityEnvironment().run(emulated.activities.stopCrawler, { crawlerName });

  await expect(waitForCrawl()).rejects.toMatchObject({
    type: errorTypes.GlueCrawlerFailed,
    message: expect.stringContaining('CANCELLED (it was stopped before it finished)'),
  });
  await expect(activityEnvironment().run(emulated.activities.stopCrawler, { crawlerName })).resolves.toBeUndefined();
});
