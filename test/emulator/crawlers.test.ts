import { CreateCrawlerCommand, GetCrawlerCommand, GetCrawlerMetricsCommand, StartCrawlerCommand, StopCrawlerCommand, type Crawler } from '@aws-sdk/client-glue';
import { useGlueEmulator } from '../support/glueEmulator';

const crawlerName = 'orders-raw-crawler';
const emulated = useGlueEmulator();

async function createCrawler(): Promise<void> {
  await emulated.aws.glue.send(
    new CreateCrawlerCommand({
      Name: crawlerName,
      Role: 'arn:aws:iam::123456789012:role/GlueCrawlerRole',
      DatabaseName: 'lake',
      Targets: { S3Targets: [{ Path: 's3://etl-data-lake/raw/orders/' }] },
    }),
  );
}

async function getCrawler(): Promise<Crawler> {
  const { Crawler } = await emulated.aws.glue.send(new GetCrawlerCommand({ Name: crawlerName }));
  return Crawler!;
}

/** Polls GetCrawler as the crawler activity does; returns the states seen and the crawler once READY. */
async function pollUntilReady(): Promise<{ states: string[]; crawler: Crawler }> {
  const states: string[] = [];
  for (let poll = 0; poll < 20; poll++) {
    const crawler = await getCrawler();
    states.push(crawler.State!);
    if (crawler.State === 'READY') return { states, crawler };
  }
  throw new Error(`crawler ${crawlerName} did not get READY; states seen: ${states.join(', ')}`);
}

test('a crawler is created READY with its settings and no crawl yet', async () => {
  await createCrawler();

  const crawler = await getCrawler();

  expect(crawler).toMatchObject({
    Name: crawlerName,
    Role: 'arn:aws:iam::123456789012:role/GlueCrawlerRole',
    DatabaseName: 'lake',
    Targets: { S3Targets: [{ Path: 's3://etl-data-lake/raw/orders/' }] },
    State: 'READY',
  });
  expect(crawler.CreationTime).toBeInstanceOf(Date);
  expect(crawler.LastCrawl).toBeUndefined();
});

test('an unscripted crawl goes RUNNING, STOPPING, then READY with a SUCCEEDED last crawl', async () => {
  await createCrawler();
  await emulated.aws.glue.send(new StartCrawlerCommand({ Name: crawlerName }));

  const { states, crawler } = await pollUntilReady();

  expect(states).toEqual(['RUNNING', 'STOPPING', 'READY']);
  expect(crawler.LastCrawl).toMatchObject({ Status: 'SUCCEEDED', StartTime: expect.any(Date), MessagePrefix: expect.any(String) });
  expect(crawler.LastCrawl!.ErrorMessage).toBeUndefined();
  const { crawls } = (await emulated.control.recorded()).glue;
  expect(crawls).toEqual([expect.objectContaining({ crawlerName, status: 'SUCCEEDED', id: crawler.LastCrawl!.MessagePrefix })]);
});

test('a scripted failure ends READY with a FAILED last crawl carrying its message; outcomes apply in order', async () => {
  await createCrawler();
  await emulated.control.setCrawlOutcomes(crawlerName, [
    { pollsUntilDone: 1, finalStatus: 'FAILED', errorMessage: 'Insufficient Lake Formation permission(s) on lake' },
    {},
  ]);

  await emulated.aws.glue.send(new StartCrawlerCommand({ Name: crawlerName }));
  const failed = await pollUntilReady();
  await emulated.aws.glue.send(new StartCrawlerCommand({ Name: crawlerName }));
  const succeeded = await pollUntilReady();

  expect(failed.states).toEqual(['STOPPING', 'READY']);
  expect(failed.crawler.LastCrawl).toMatchObject({ Status: 'FAILED', ErrorMessage: 'Insufficient Lake Formation permission(s) on lake' });
  expect(succeeded.crawler.LastCrawl).toMatchObject({ Status: 'SUCCEEDED' });
  expect((await emulated.control.recorded()).glue.crawls.map((crawl) => crawl.status)).toEqual(['FAILED', 'SUCCEEDED']);
});

test('StartCrawler on a crawler that is not READY raises CrawlerRunningException', async () => {
  await createCrawler();
  await emulated.control.setCrawlOutcomes(crawlerName, [{ pollsUntilDone: 5 }]);
  await emulated.aws.glue.send(new StartCrawlerCommand({ Name: crawlerName }));

  await expect(emulated.aws.glue.send(new StartCrawlerCommand({ Name: crawlerName }))).rejects.toMatchObject({ name: 'CrawlerRunningException' });
  expect((await emulated.control.recorded()).glue.crawls).toHaveLength(1);
});

test('StopCrawler cancels the crawl, which ends READY and CANCELLED; stopping a READY crawler is refused', async () => {
  await createCrawler();
  await emulated.control.setCrawlOutcomes(crawlerName, [{ pollsUntilDone: 5 }]);
  await emulated.aws.glue.send(new StartCrawlerCommand({ Name: crawlerName }));

  await emulated.aws.glue.send(new StopCrawlerCommand({ Name: crawlerName }));

  await expect(emulated.aws.glue.send(new StopCrawlerCommand({ Name: crawlerName }))).rejects.toMatchObject({ name: 'CrawlerStoppingException' });
  const { states, crawler } = await pollUntilReady();
  expect(states).toEqual(['READY']);
  expect(crawler.LastCrawl!.Status).toBe('CANCELLED');
  await expect(emulated.aws.glue.send(new StopCrawlerCommand({ Name: crawlerName }))).rejects.toMatchObject({ name: 'CrawlerNotRunningException' });
});

test("GetCrawlerMetrics reports the last crawl's runtime and tables", async () => {
  await createCrawler();
  await emulated.control.setCrawlOutcomes(crawlerName, [{ pollsUntilDone: 0, tablesCreated: 1, tablesUpdated: 2, runtimeSeconds: 75 }]);
  await emulated.aws.glue.send(new StartCrawlerCommand({ Name: crawlerName }));
  await pollUntilReady();

  const { CrawlerMetricsList } = await emulated.aws.glue.send(new GetCrawlerMetricsCommand({ CrawlerNameList: [crawlerName, 'no-such-crawler'] }));

  expect(CrawlerMetricsList).toEqual([
    expect.objectContaining({ CrawlerName: crawlerName, LastRuntimeSeconds: 75, TablesCreated: 1, TablesUpdated: 2, TablesDeleted: 0 }),
  ]);
});

test('unknown and duplicate crawlers raise the AWS exceptions', async () => {
  await expect(emulated.aws.glue.send(new StartCrawlerCommand({ Name: crawlerName }))).rejects.toMatchObject({
    name: 'EntityNotFoundException',
    message: expect.stringContaining(crawlerName),
  });
  await expect(getCrawler()).rejects.toMatchObject({ name: 'EntityNotFoundException' });

  await createCrawler();
  await expect(createCrawler()).rejects.toMatchObject({ name: 'AlreadyExistsException' });
});

test('a crawl outcome that is not a crawl outcome is refused with the reason', async () => {
  await expect(emulated.control.setCrawlOutcomes(crawlerName, [{ finalStatus: 'SUCCEEDED', pollsUntilDone: -1 }])).rejects.toThrow(/pollsUntilDone/);
});
