import type { Field } from '@aws-sdk/client-redshift-data';
import { z } from 'zod';

/** How one Glue job run ends. Defaults describe an unscripted run: it succeeds on the second GetJobRun. */
export const glueOutcomeSchema = z.strictObject({
  /** GetJobRun calls of the run before it reports its final state (0: final from the start). */
  pollsUntilDone: z.number().int().min(0).default(2),
  finalState: z.enum(['SUCCEEDED', 'FAILED', 'ERROR', 'TIMEOUT']).default('SUCCEEDED'),
  /** ErrorMessage of a FAILED, ERROR or TIMEOUT run. */
  errorMessage: z.string().optional(),
  /** ExecutionTime the run reports; by default the seconds since StartJobRun. */
  executionTimeSeconds: z.number().int().min(0).optional(),
  /** DPUSeconds the run reports; by default ExecutionTime × 2 DPU. */
  dpuSeconds: z.number().min(0).optional(),
});

export const glueOutcomesRequestSchema = z.strictObject({ outcomes: z.array(glueOutcomeSchema) });

/** How one Glue crawl ends. Defaults describe an unscripted crawl: RUNNING, then STOPPING, then READY and SUCCEEDED. */
export const crawlOutcomeSchema = z.strictObject({
  /** GetCrawler calls that see the crawl going before the crawler is READY again: the last of them sees STOPPING, earlier ones RUNNING. */
  pollsUntilDone: z.number().int().min(0).default(2),
  finalStatus: z.enum(['SUCCEEDED', 'FAILED', 'CANCELLED']).default('SUCCEEDED'),
  /** LastCrawl.ErrorMessage of a FAILED crawl. */
  errorMessage: z.string().optional(),
  /** What GetCrawlerMetrics reports for the crawl. */
  tablesCreated: z.number().int().min(0).default(0),
  tablesUpdated: z.number().int().min(0).default(0),
  tablesDeleted: z.number().int().min(0).default(0),
  /** LastRuntimeSeconds the crawl reports; by default the seconds from StartCrawler to READY. */
  runtimeSeconds: z.number().min(0).optional(),
});

export const crawlOutcomesRequestSchema = z.strictObject({ outcomes: z.array(crawlOutcomeSchema) });

/**
 * How one Redshift Data statement ends. Defaults describe an unmatched statement: it runs on the local Redshift
 * at its first DescribeStatement. FAILED or `records` script the outcome and the SQL is not run; a rule with
 * neither only sets when the statement runs (`{ "match": "", "pollsUntilDone": 3 }` delays every statement).
 */
export const statementOutcomeSchema = z.strictObject({
  /** DescribeStatement calls before the statement runs and reports its final status (0: at once, on submit). */
  pollsUntilDone: z.number().int().min(0).default(1),
  finalState: z.enum(['FINISHED', 'FAILED']).default('FINISHED'),
  /** Error text of a FAILED statement. */
  error: z.string().optional(),
  /** Rows GetStatementResult returns instead of running the SQL, in the Data API's Field format, e.g. [[{ "longValue": 42 }]]. */
  records: z.array(z.array(z.custom<Field>((value) => typeof value === 'object' && value !== null))).optional(),
});

export const redshiftRuleSchema = statementOutcomeSchema.extend({
  /** Case-insensitive regular expression tested against each SQL text of a statement; "" matches every statement. */
  match: z.string().refine(isRegex, 'must be a valid regular expression'),
});

export const redshiftRulesRequestSchema = z.strictObject({ rules: z.array(redshiftRuleSchema) });

/** What a test sends: fields with defaults may be left out. */
export type GlueOutcome = z.input<typeof glueOutcomeSchema>;
export type RedshiftRule = z.input<typeof redshiftRuleSchema>;
export type CrawlOutcome = z.input<typeof crawlOutcomeSchema>;
/** What the emulator applies: defaults filled in. */
export type ResolvedGlueOutcome = z.output<typeof glueOutcomeSchema>;
export type ResolvedCrawlOutcome = z.output<typeof crawlOutcomeSchema>;
export type ResolvedStatementOutcome = z.output<typeof statementOutcomeSchema>;
export type ResolvedRedshiftRule = z.output<typeof redshiftRuleSchema>;

export const defaultGlueOutcome: ResolvedGlueOutcome = glueOutcomeSchema.parse({});
export const defaultCrawlOutcome: ResolvedCrawlOutcome = crawlOutcomeSchema.parse({});
export const defaultStatementOutcome: ResolvedStatementOutcome = statementOutcomeSchema.parse({});

export function ruleMatches(rule: ResolvedRedshiftRule, sql: string): boolean {
  return new RegExp(rule.match, 'i').test(sql);
}

function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Scripted outcomes by name (of a job, a crawler), used in order; the last one repeats. */
export class ScriptedOutcomes<T> {
  private readonly byName = new Map<string, T[]>();

  /** An empty list restores the default. */
  set(name: string, outcomes: T[]): void {
    this.byName.set(name, [...outcomes]);
  }

  next(name: string): T | undefined {
    const outcomes = this.byName.get(name) ?? [];
    return outcomes.length > 1 ? outcomes.shift() : outcomes[0];
  }
}
