import {
  CrawlerNotRunningException,
  CrawlerRunningException,
  CrawlerState,
  CrawlerStoppingException,
  EntityNotFoundException,
  GetCrawlerCommand,
  GetCrawlerMetricsCommand,
  LastCrawlStatus,
  StartCrawlerCommand,
  StopCrawlerCommand,
  type Crawler,
  type GlueClient,
  type LastCrawlInfo,
} from '@aws-sdk/client-glue';
import { log } from '@temporalio/activity';
import { ApplicationFailure, type Duration } from '@temporalio/common';
import { errorTypes } from '../../shared/errorTypes';
import type { CrawlerStart, CrawlFigures } from '../../shared/stepResults';
import { checkAgainLater } from '../checkAgainLater';

export interface CrawlerInput {
  crawlerName: string;
}

export interface WaitForCrawlerInput extends CrawlerInput {
  /** The longest time between two checks of the crawler, such as "30s". */
  pollInterval: Duration;
}

/**
 * The crawler step: start a Glue crawler, check it until it is READY again, stop it on cancellation. A crawler
 * runs one crawl at a time and a crawl may be repeated harmlessly, so a crawler found running is waited for
 * instead of started again: a retried start, or a crawl its own schedule began, counts as this step's crawl.
 */
export function createCrawlerActivities({ glue }: { glue: GlueClient }) {
  return {
    /** StartCrawler, or adopts the crawl already running; returns without waiting. */
    async startCrawler({ crawlerName }: CrawlerInput): Promise<CrawlerStart> {
      try {
        await glue.send(new StartCrawlerCommand({ Name: crawlerName }));
        log.info('Glue crawler started', { crawlerName });
        return { crawlerName, adopted: false };
      } catch (err) {
        if (!(err instanceof CrawlerRunningException)) throw crawlerFailure(err, crawlerName);
        log.info('Glue crawler already running: waiting for its crawl', { crawlerName });
        return { crawlerName, adopted: true };
      }
    },

    /**
     * Checks the crawler once: the crawl's figures once it is READY after a crawl that succeeded, GlueCrawlerFailed
     * after one that failed or was cancelled, and while it crawls a failure that has Temporal check again later
     * (see checkAgainLater).
     */
    async waitForCrawler({ crawlerName, pollInterval }: WaitForCrawlerInput): Promise<CrawlFigures> {
      const crawler = await getCrawler(glue, crawlerName);
      // READY without a LastCrawl: the crawl just started has not shown yet.
      if (crawler.State !== CrawlerState.READY || !crawler.LastCrawl) {
        throw checkAgainLater(`Glue crawler ${crawlerName} is ${crawler.State ?? 'starting'}`, pollInterval);
      }
      const lastCrawl = crawler.LastCrawl;
      if (lastCrawl.Status !== LastCrawlStatus.SUCCEEDED) throw crawlFailed(crawlerName, lastCrawl);
      const figures = await crawlMetrics(glue, crawlerName);
      log.info('Glue crawl succeeded', { crawlerName, ...figures });
      return { startedOn: lastCrawl.StartTime?.toISOString(), ...figures };
    },

    /** StopCrawler; the workflow calls it when the step is cancelled. A crawler that is not running, or already stopping, is left as it is. */
    async stopCrawler({ crawlerName }: CrawlerInput): Promise<void> {
      try {
        await glue.send(new StopCrawlerCommand({ Name: crawlerName }));
        log.info('Glue crawler stopped', { crawlerName });
      } catch (err) {
        if (err instanceof CrawlerNotRunningException || err instanceof CrawlerStoppingException) return;
        throw crawlerFailure(err, crawlerName);
      }
    },
  };
}

async function getCrawler(glue: GlueClient, crawlerName: string): Promise<Crawler> {
  try {
    const { Crawler: crawler } = await glue.send(new GetCrawlerCommand({ Name: crawlerName }));
    if (!crawler) throw new Error(`Glue GetCrawler for ${crawlerName} returned no crawler`);
    return crawler;
  } catch (err) {
    throw crawlerFailure(err, crawlerName);
  }
}

function crawlFailed(crawlerName: string, { Status, ErrorMessage, LogGroup, LogStream, MessagePrefix }: LastCrawlInfo): ApplicationFailure {
  const reason = ErrorMessage
    ? `: ${ErrorMessage}`
    : Status === LastCrawlStatus.CANCELLED
      ? ' (it was stopped before it finished)'
      : ' (Glue gave no error message)';
  const logs =
    LogGroup && LogStream ? ` Its log is in CloudWatch log group ${LogGroup}, stream ${LogStream}${MessagePrefix ? `, lines starting ${MessagePrefix}` : ''}.` : '';
  return ApplicationFailure.nonRetryable(`Glue crawler ${crawlerName} crawl ${Status ?? 'ended'}${reason}.${logs}`, errorTypes.GlueCrawlerFailed, {
    crawlerName,
    status: Status,
    errorMessage: ErrorMessage,
  });
}

/**
 * The succeeded crawl's runtime and tables. The crawl's outcome is already known, so figures that cannot be read
 * (a role without glue:GetCrawlerMetrics) leave the result without them instead of failing the step.
 */
async function crawlMetrics(glue: GlueClient, crawlerName: string): Promise<Omit<CrawlFigures, 'startedOn'>> {
  try {
    const { CrawlerMetricsList } = await glue.send(new GetCrawlerMetricsCommand({ CrawlerNameList: [crawlerName] }));
    const metrics = CrawlerMetricsList?.find((candidate) => candidate.CrawlerName === crawlerName);
    return {
      durationSeconds: metrics?.LastRuntimeSeconds,
      tablesCreated: metrics?.TablesCreated,
      tablesUpdated: metrics?.TablesUpdated,
      tablesDeleted: metrics?.TablesDeleted,
    };
  } catch (err) {
    log.warn('Could not read the Glue crawl figures; the step result leaves them out', { crawlerName, error: String(err) });
    return {};
  }
}

/** Says what a Glue crawler error means for the pipeline: a missing crawler is fixed in Glue or in the config. */
function crawlerFailure(err: unknown, crawlerName: string): unknown {
  if (err instanceof EntityNotFoundException) {
    return ApplicationFailure.nonRetryable(
      `Glue crawler ${crawlerName} does not exist: create the crawler in Glue, or fix the crawler name in the pipeline's crawler step.`,
      errorTypes.GlueCrawlerNotFound,
    );
  }
  return err;
}
