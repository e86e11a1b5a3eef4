import { randomUUID } from 'node:crypto';
import type {
  CrawlerMetrics,
  CrawlerState,
  CreateCrawlerRequest,
  CreateCrawlerResponse,
  Crawler,
  GetCrawlerMetricsRequest,
  GetCrawlerMetricsResponse,
  GetCrawlerRequest,
  GetCrawlerResponse,
  StartCrawlerRequest,
  StartCrawlerResponse,
  StopCrawlerRequest,
  StopCrawlerResponse,
} from '@aws-sdk/client-glue';
import { pageOf } from './paging';
import { AwsError, requireString, requireStructure, type Operations } from './protocol';
import { defaultCrawlOutcome, ScriptedOutcomes, type ResolvedCrawlOutcome } from './scripts';

export interface RecordedCrawl {
  /** The crawl's MessagePrefix, as its CloudWatch log lines carry it. */
  id: string;
  crawlerName: string;
  /** How the crawl was scripted to end when it started; a StopCrawler ends it CANCELLED instead. */
  outcome: ResolvedCrawlOutcome;
  /** GetCrawler calls that saw it going. */
  polls: number;
  /** Set by StopCrawler. */
  stopRequested: boolean;
  startedOn: string;
  /** Absent while the crawl goes. */
  status?: ResolvedCrawlOutcome['finalStatus'];
  completedOn?: string;
  errorMessage?: string;
  runtimeSeconds?: number;
}

interface EmulatedCrawler {
  definition: CreateCrawlerRequest;
  createdOn: string;
  state: CrawlerState;
  /** The crawl going on, while the crawler is not READY. */
  current?: RecordedCrawl;
  /** The last crawl that ended: the crawler's LastCrawl. */
  last?: RecordedCrawl;
}

const invalidInput = 'InvalidInputException';

/**
 * Glue crawlers, in memory. A crawl changes nothing in the Data Catalog: it moves RUNNING → STOPPING → READY as
 * GetCrawler is called, and ends as scripted (SUCCEEDED unless told otherwise), so a caller's wait can be tested.
 */
export class GlueCrawlers {
  private readonly crawlers = new Map<string, EmulatedCrawler>();
  /** Oldest first. */
  private readonly crawls: RecordedCrawl[] = [];
  private readonly scriptedOutcomes = new ScriptedOutcomes<ResolvedCrawlOutcome>();

  readonly operations: Operations = {
    CreateCrawler: (input: CreateCrawlerRequest) => this.createCrawler(input),
    GetCrawler: (input: GetCrawlerRequest) => this.getCrawler(input),
    StartCrawler: (input: StartCrawlerRequest) => this.startCrawler(input),
    StopCrawler: (input: StopCrawlerRequest) => this.stopCrawler(input),
    GetCrawlerMetrics: (input: GetCrawlerMetricsRequest) => this.getCrawlerMetrics(input),
  };

  /** Outcomes for the crawler's next crawls, in order; the last one repeats. An empty list restores the default. */
  setOutcomes(crawlerName: string, outcomes: ResolvedCrawlOutcome[]): void {
    this.scriptedOutcomes.set(crawlerName, outcomes);
  }

  /** Every crawl started, oldest first. */
  recorded(): RecordedCrawl[] {
    return this.crawls;
  }

  private createCrawler(input: CreateCrawlerRequest): CreateCrawlerResponse {
    const name = requireString(input.Name, 'Name', invalidInput);
    requireString(input.Role, 'Role', invalidInput);
    requireStructure(input.Targets, 'Targets', invalidInput);
    if (input.Schedule !== undefined && typeof input.Schedule !== 'string') {
      throw new AwsError(invalidInput, 'Schedule must be a cron expression, such as cron(0 8 * * ? *).');
    }
    if (this.crawlers.has(name)) throw new AwsError('AlreadyExistsException', `Crawler with name ${name} has already been created.`);
    this.crawlers.set(name, { definition: input, createdOn: new Date().toISOString(), state: 'READY' });
    return {};
  }

  /** Each call is a poll: it moves the crawl going on one step along. */
  private getCrawler(input: GetCrawlerRequest): GetCrawlerResponse {
    const crawler = this.crawler(input.Name);
    if (crawler.current) this.advance(crawler, crawler.current);
    return { Crawler: toCrawler(crawler) };
  }

  private startCrawler(input: StartCrawlerRequest): StartCrawlerResponse {
    const crawler = this.crawler(input.Name);
    const name = crawler.definition.Name!;
    if (crawler.state !== 'READY') throw new AwsError('CrawlerRunningException', `Crawler with name ${name} has already started.`);
    const crawl: RecordedCrawl = {
      id: randomUUID(),
      crawlerName: name,
      outcome: this.scriptedOutcomes.next(name) ?? defaultCrawlOutcome,
      polls: 0,
      stopRequested: false,
      startedOn: new Date().toISOString(),
    };
    this.crawls.push(crawl);
    crawler.current = crawl;
    crawler.state = 'RUNNING';
    return {};
  }

  private stopCrawler(input: StopCrawlerRequest): StopCrawlerResponse {
    const crawler = this.crawler(input.Name);
    const name = crawler.definition.Name!;
    if (crawler.state === 'READY') throw new AwsError('CrawlerNotRunningException', `Crawler with name ${name} is not running.`);
    if (crawler.state === 'STOPPING') throw new AwsError('CrawlerStoppingException', `Crawler with name ${name} is stopping.`);
    crawler.current!.stopRequested = true;
    crawler.state = 'STOPPING';
    return {};
  }

  /** The figures of each crawler's last crawl, paged by crawler name; names of crawlers that do not exist are left out. */
  private getCrawlerMetrics(input: GetCrawlerMetricsRequest): GetCrawlerMetricsResponse {
    const names = input.CrawlerNameList ?? [...this.crawlers.keys()].sort();
    const known = names.filter((name) => this.crawlers.has(name));
    const { page, nextToken } = pageOf(known, (name) => name, input, invalidInput);
    return { CrawlerMetricsList: page.map((name) => this.metrics(name)), NextToken: nextToken };
  }

  private metrics(name: string): CrawlerMetrics {
    const { last } = this.crawler(name);
    const succeeded = last?.status === 'SUCCEEDED' ? last.outcome : undefined;
    const runtimes = this.crawls.filter((crawl) => crawl.crawlerName === name && crawl.runtimeSeconds !== undefined).map((crawl) => crawl.runtimeSeconds!);
    return {
      CrawlerName: name,
      TimeLeftSeconds: 0,
      StillEstimating: false,
      LastRuntimeSeconds: last?.runtimeSeconds ?? 0,
      MedianRuntimeSeconds: median(runtimes),
      TablesCreated: succeeded?.tablesCreated ?? 0,
      TablesUpdated: succeeded?.tablesUpdated ?? 0,
      TablesDeleted: succeeded?.tablesDeleted ?? 0,
    };
  }

  private crawler(crawlerName: string | undefined): EmulatedCrawler {
    const name = requireString(crawlerName, 'Name', invalidInput);
    const crawler = this.crawlers.get(name);
    if (!crawler) throw new AwsError('EntityNotFoundException', `Crawler entry with name ${name} does not exist. Create it with CreateCrawler first.`);
    return crawler;
  }

  /** RUNNING until the crawl's polls are used up, STOPPING at its last one (or once stopped), then READY. */
  private advance(crawler: EmulatedCrawler, crawl: RecordedCrawl): void {
    crawl.polls += 1;
    if (crawl.stopRequested) this.finish(crawler, crawl, 'CANCELLED');
    else if (crawl.polls > crawl.outcome.pollsUntilDone) this.finish(crawler, crawl, crawl.outcome.finalStatus);
    else crawler.state = crawl.polls === crawl.outcome.pollsUntilDone ? 'STOPPING' : 'RUNNING';
  }

  private finish(crawler: EmulatedCrawler, crawl: RecordedCrawl, status: NonNullable<RecordedCrawl['status']>): void {
    crawl.status = status;
    crawl.completedOn = new Date().toISOString();
    // Whole seconds, rounded up: a crawl that ran at all took some time.
    crawl.runtimeSeconds = crawl.outcome.runtimeSeconds ?? Math.ceil((Date.parse(crawl.completedOn) - Date.parse(crawl.startedOn)) / 1000);
    if (status === 'FAILED')
      crawl.errorMessage = crawl.outcome.errorMessage ?? `Crawl ${crawl.id} of crawler ${crawl.crawlerName} failed (emulator default message).`;
    crawler.state = 'READY';
    crawler.last = crawl;
    crawler.current = undefined;
  }
}

function toCrawler({ definition, createdOn, state, current, last }: EmulatedCrawler): Crawler {
  // CreateCrawler takes Tags and the Schedule as a cron text; a Crawler carries no tags and its Schedule as an object.
  const { Tags: _tags, Schedule, ...settings } = definition;
  return {
    ...settings,
    Schedule: Schedule === undefined ? undefined : { ScheduleExpression: Schedule, State: 'SCHEDULED' },
    State: state,
    CrawlElapsedTime: current ? Date.now() - Date.parse(current.startedOn) : 0,
    CreationTime: new Date(createdOn),
    LastUpdated: new Date(createdOn),
    Version: 1,
    LastCrawl: last && {
      Status: last.status,
      ErrorMessage: last.errorMessage,
      LogGroup: '/aws-glue/crawlers',
      LogStream: last.crawlerName,
      MessagePrefix: last.id,
      StartTime: new Date(last.startedOn),
    },
  };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
