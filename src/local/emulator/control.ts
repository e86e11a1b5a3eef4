import type { EmulatorRecording } from './emulator';
import type { Fault } from './faults';
import type { CrawlOutcome, GlueOutcome, RedshiftRule } from './scripts';

export type { EmulatorRecording, RecordedRequest } from './emulator';
export type { Fault, FaultAnswer } from './faults';
export type { GlueRecording, GlueRunState, RecordedGlueJob, RecordedGlueRun } from './glue';
export type { RecordedCrawl } from './glueCrawlers';
export type { RecordedStatement, StatementStatus } from './redshiftData';
export type { CrawlOutcome, GlueOutcome, RedshiftRule, ResolvedCrawlOutcome, ResolvedGlueOutcome, ResolvedRedshiftRule } from './scripts';

/** Scripts and inspects a running emulator through its /_emulator/ endpoints. */
export class EmulatorControl {
  constructor(private readonly baseUrl: string) {}

  /** Forgets jobs, runs and their logs, crawlers, the Data Catalog, statements, scripts, faults and the request log; drops the Redshift databases kept in memory. */
  async reset(): Promise<void> {
    await this.request('POST', '/_emulator/reset');
  }

  /** How the job's next runs end, in order; the last outcome repeats. Unscripted runs succeed on the second GetJobRun. */
  async setGlueOutcomes(jobName: string, outcomes: GlueOutcome[]): Promise<void> {
    await this.request('PUT', `/_emulator/glue/jobs/${encodeURIComponent(jobName)}/outcomes`, { outcomes });
  }

  /** How the crawler's next crawls end, in order; the last outcome repeats. Unscripted crawls succeed on the third GetCrawler. */
  async setCrawlOutcomes(crawlerName: string, outcomes: CrawlOutcome[]): Promise<void> {
    await this.request('PUT', `/_emulator/glue/crawlers/${encodeURIComponent(crawlerName)}/outcomes`, { outcomes });
  }

  /**
   * Replaces the rules; the first whose `match` fits any SQL of a new statement decides when it runs, or scripts
   * how it ends (FAILED, or FINISHED with `records`) without running it. Unmatched statements run on the local
   * Redshift at their first DescribeStatement.
   */
  async setRedshiftRules(rules: RedshiftRule[]): Promise<void> {
    await this.request('PUT', '/_emulator/redshift/rules', { rules });
  }

  /**
   * Replaces the faults: the next `times` requests to each target are carried out (a Glue run really starts),
   * then answered with a 500 or a dropped connection. Requests the service refuses do not use a fault.
   */
  async setFaults(faults: Fault[]): Promise<void> {
    await this.request('PUT', '/_emulator/faults', { faults });
  }

  async recorded(): Promise<EmulatorRecording> {
    const response = await this.request('GET', '/_emulator/recorded');
    return (await response.json()) as EmulatorRecording;
  }

  private async request(method: string, path: string, body?: object): Promise<Response> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`emulator ${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response;
  }
}
