import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common';
import { z } from 'zod';
import { defaultTaskQueue } from '../shared/ids';
import { shortestWaitingHeartbeatTimeoutMs, waitingHeartbeatEveryMs } from '../shared/waitingHeartbeats';
import { InvalidTemplateError, renderTemplate } from '../shared/dates';
import { stepNames, steps, type StepName } from '../shared/steps';
import { defaultCostSettings } from '../shared/glueCost';
import { executionClasses, glueWorkerTypes } from '../shared/glueRunSettings';
import type { Trigger } from '../shared/pipelineRun';

/** A SQL identifier, optionally schema-qualified: the only way a name reaches generated SQL. */
const sqlName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/, 'must be a SQL name such as "public.fct_orders"');

const prefix = z.string().regex(/^([A-Za-z0-9!_.*'()-]+\/)+$/, 'must be an S3 key prefix ending in "/", such as "raw/orders/"');

/** A duration Temporal understands, such as "30s", "15m" or "2h". */
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as "30s", "15m" or "2h"')
  .transform((text) => text as Duration);

/** The pause between two polls of a step that waits on AWS. */
const pollInterval = duration.refine((text) => msToNumber(text) > 0, 'must be longer than 0, such as "5s": polling without a pause calls AWS in a tight loop');

/** Text with date placeholders; checking them here turns a typo such as "{{dat}}" into a load-time error. */
const templated = (text: z.ZodString) =>
  text.superRefine((value, ctx) => {
    try {
      renderTemplate(value, { date: '2000-01-01' });
    } catch (error) {
      if (!(error instanceof InvalidTemplateError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  });

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const arn = (service: string) => z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `must be an ${service} ARN (arn:aws:${service}:...)`);

export const columnTypeSchema = z
  .string()
  .regex(/^(string|integer|date|timestamp|boolean|decimal\(\d{1,2},\d{1,2}\))$/, 'must be one of string, integer, decimal(p,s), date, timestamp, boolean')
  .refine((type) => {
    const match = /^decimal\((\d+),(\d+)\)$/.exec(type);
    return !match || (Number(match[1]) >= 1 && Number(match[1]) <= 38 && Number(match[2]) <= Number(match[1]));
  }, 'decimal(p,s) needs 1 <= p <= 38 and s <= p');

export const columnSchema = z.strictObject({
  name: z.string().min(1),
  type: columnTypeSchema,
  nullable: z.boolean().default(false),
});

/** Characters the CSV reader (or the contract) gives another meaning: no field could ever be split on them. */
const unusableDelimiters: Record<string, string> = {
  '"': 'the CSV quote character',
  '\n': 'a line break',
  '\r': 'a line break',
  '\0': 'a NUL byte, which the contract rejects in any file',
};

export const contractSchema = z.strictObject({
  format: z.literal('csv'),
  delimiter: z
    .string()
    .length(1)
    .superRefine((delimiter, ctx) => {
      const reason = unusableDelimiters[delimiter];
      if (reason) ctx.addIssue({ code: 'custom', message: `must not be ${JSON.stringify(delimiter)} (${reason}): use a character such as ",", ";", "|" or a tab` });
    })
    .default(','),
  /** Columns the file must have; extra columns are allowed unless `allowExtraColumns` is false. */
  columns: z
    .array(columnSchema)
    .min(1)
    .superRefine((columns, ctx) => {
      const seen = new Set<string>();
      columns.forEach((column, index) => {
        if (seen.has(column.name)) {
          ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `column "${column.name}" is listed twice` });
        }
        seen.add(column.name);
      });
    }),
  allowExtraColumns: z.boolean().default(true),
  /** How many offending rows an error report keeps as a sample. */
  maxReportedErrors: z.number().int().min(1).max(1000).default(20),
});

/** A size such as "500MB" or "100GiB". */
const byteSize = z.string().regex(/^\d+(\.\d+)?(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/, 'must be a size such as "500MB", "100GB" or "2TiB"');

/** What a new delivery of a date's files does to the files validated for it earlier. */
export const redeliveryModes = ['replace', 'append'] as const;

/** Objects under raw/<date>/ that are not data files: left where they are, named in the run's result. */
export const defaultIgnorePatterns = ['_SUCCESS', '*.tmp'];

export const s3Schema = z.strictObject({
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  prefixes: z.strictObject({
    raw: prefix,
    validated: prefix,
    errors: prefix,
    /** Where the Glue job writes its output: the COPY source lies under it (and by default is <processed><date>/). */
    processed: prefix,
    /** Where files that are no longer part of a date's input are kept for audit; default archive/<pipeline>/. */
    archive: prefix.optional(),
  }),
  /**
   * replace: files landing for a date that already has validated files are a new delivery that supersedes the
   * earlier one (kept under the archive prefix, never loaded). append: they join the earlier files.
   */
  redelivery: z.enum(redeliveryModes).default('replace'),
  /** Glob patterns matched against a file's name (the part after raw/<date>/). */
  ignore: z.array(z.string().min(1)).default(defaultIgnorePatterns),
  /** Zero-byte objects are markers, not files: ignored unless this is false (then they fail as empty files). */
  ignoreEmptyFiles: z.boolean().default(true),
  /** A raw object larger than this (as stored, compressed or not) fails the step before it is read; no limit by default. */
  maxFileSize: byteSize.optional(),
});

/** How a Glue run is sized and bounded, as StartJobRun takes it; a setting left out is the job definition's. */
const glueRunSettingsSchema = z.strictObject({
  executionClass: z.enum(executionClasses).optional(),
  workerType: z.enum(glueWorkerTypes).optional(),
  numberOfWorkers: z.number().int('must be a whole number of workers').min(1, 'must be at least 1').optional(),
  /** Minutes (Glue's Timeout): Glue stops the run then and ends it TIMEOUT. */
  timeout: z
    .number({ error: "must be a number of minutes, such as 120 (Glue's Timeout)" })
    .int('must be a whole number of minutes')
    .min(1, 'must be at least 1 minute')
    .max(10080, 'must be at most 10080 minutes (7 days), the longest Glue lets a batch job run')
    .optional(),
});

export const glueSchema = z.strictObject({
  jobName: z.string().min(1).max(255),
  /**
   * Job arguments; "{{date}}" is replaced by the run's date, "{{date_nodash}}" by it without dashes (placeholders
   * such as "{{bucket}}" were replaced when the file loaded).
   */
  arguments: z.record(z.string().startsWith('--', 'Glue argument names start with "--"'), templated(z.string())).default({}),
  pollInterval: pollInterval.default('30s'),
  /**
   * What happens to the files already under the COPY source for the date before a new Glue run writes there:
   * deleted, or moved under the archive prefix. Either way a rerun never loads an earlier run's output.
   */
  previousOutput: z.enum(['delete', 'archive']).default('delete'),
  /**
   * The job's script, for the local stack's Glue, which runs it (a path relative to this file): a Python script
   * (run with the project's Python, which has pyarrow and boto3) or any executable. Real Glue uses its own.
   */
  localScript: z.string().min(1).optional(),
  ...glueRunSettingsSchema.shape,
  /** Settings that replace the step's own for runs of one trigger, such as `backfill: { executionClass: FLEX }`. */
  forTrigger: z
    .strictObject({
      schedule: glueRunSettingsSchema.optional(),
      manual: glueRunSettingsSchema.optional(),
      backfill: glueRunSettingsSchema.optional(),
    } satisfies Record<Trigger, z.ZodType>)
    .optional(),
});

export const redshiftSchema = z
  .strictObject({
    clusterIdentifier: z.string().min(1).optional(),
    workgroupName: z.string().min(1).optional(),
    database: z.string().min(1),
    secretArn: arn('secretsmanager').optional(),
    dbUser: z.string().min(1).optional(),
    table: sqlName,
    dateColumn: sqlName,
    copy: z.strictObject({
      /**
       * S3 location COPY reads, the Glue job's output for the date, under s3.prefixes.processed; "{{date}}" is
       * replaced by the run's date. Default: the date's folder there, s3://<bucket>/<processed><date>/.
       */
      source: templated(
        z
          .string()
          .regex(/^s3:\/\/[^'\\]+$/, 'must be an s3:// URL without quotes or backslashes')
          // A prefix without the slash also matches its neighbours, such as order_date=2024-01-15_old/.
          .endsWith('/', 'must be a folder: end it with "/"'),
      ).optional(),
      format: z.enum(['parquet', 'csv', 'json']),
      iamRole: arn('iam'),
      /**
       * The table's columns the files hold, in file order (Redshift matches Parquet and CSV columns by position).
       * Leave the date column out when the files lie in Hive-style partition folders (order_date=.../), which do
       * not hold it: the load supplies the run's date. Default: every column of the table, in table order.
       */
      columns: z.array(sqlName).min(1).optional(),
    }),
    pollInterval: pollInterval.default('5s'),
    /** SQL that creates the table and the views (a path relative to this file), applied by the local stack. */
    ddl: z.string().min(1).optional(),
  })
  // The Redshift Data API's ways to connect: a cluster with a secret, a db user or the caller's IAM identity;
  // a serverless workgroup with a secret or the caller's IAM identity (it has no db users).
  .superRefine((redshift, ctx) => {
    const problem = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (redshift.clusterIdentifier && redshift.workgroupName) {
      problem(['workgroupName'], 'set clusterIdentifier (provisioned) or workgroupName (serverless), not both');
    } else if (!redshift.clusterIdentifier && !redshift.workgroupName) {
      problem([], 'set clusterIdentifier (provisioned) or workgroupName (serverless)');
    }
    if (redshift.secretArn && redshift.dbUser) {
      problem(['dbUser'], 'set secretArn or dbUser, not both');
    } else if (redshift.workgroupName && redshift.dbUser) {
      problem(['dbUser'], 'works only with clusterIdentifier; for a serverless workgroup use secretArn or the IAM identity');
    }
  });

const dpuHourPrice = z.number().min(0, 'must be a price of 0 or more');

const currencyCode = /^[A-Z]{3}$/;

/**
 * The prices a Glue step's estimated cost is worked out at, per DPU-hour by execution class; a price left out is
 * AWS's us-east-1 list price in USD, so with another currency both are given.
 */
export const costSchema = z
  .strictObject({
    dpuHourPrice: z.strictObject({ STANDARD: dpuHourPrice.optional(), FLEX: dpuHourPrice.optional() }).default({}),
    currency: z.string().regex(currencyCode, 'must be a currency code such as "USD" or "EUR"').default(defaultCostSettings.currency),
  })
  .superRefine((cost, ctx) => {
    if (cost.currency === defaultCostSettings.currency || !currencyCode.test(cost.currency)) return;
    const missing = executionClasses.filter((executionClass) => cost.dpuHourPrice[executionClass] === undefined);
    if (missing.length === 0) return;
    ctx.addIssue({
      code: 'custom',
      path: ['dpuHourPrice'],
      message: `give the ${missing.join(' and ')} price in ${cost.currency} too: the default is AWS's list price in USD`,
    });
  });

export const notificationsSchema = z.strictObject({
  successTopicArn: arn('sns'),
  failureTopicArn: arn('sns'),
});

/**
 * What happens to a scheduled date that is due while an earlier scheduled run still runs: buffer_all starts it
 * when that run ends, allow_all starts it at once beside it, skip does not run it but records the skip (`etl
 * status` shows it) and alerts the failure topic. See README, "Scheduled runs".
 */
export const overlapPolicies = ['buffer_all', 'skip', 'allow_all'] as const;

/** Temporal's other overlap policies lose a date without a word, so the config refuses them. */
const refusedOverlapPolicies: Record<string, string> = {
  buffer_one: 'drops every date that falls due while one is already waiting, without a trace',
  cancel_other: 'would cancel the date still running (stopping its Glue run) without an alert',
  terminate_other: 'would kill the date still running mid-step, without an alert',
};

function refusedOverlapPolicy(policy: unknown): string | undefined {
  if (typeof policy !== 'string') return undefined;
  const reason = refusedOverlapPolicies[policy];
  return reason && `${policy} ${reason}: use buffer_all (the next date waits), skip (it is skipped and alerted) or allow_all (dates run side by side)`;
}

// The shape only (5 to 7 fields, or a shorthand such as "@daily"); Temporal checks the values when the schedule is applied.
const cronShape = /^(@(yearly|monthly|weekly|daily|hourly)|@every \S+|[\w*?/,#-]+( [\w*?/,#-]+){4,6})$/i;

export const scheduleSchema = z.strictObject({
  cron: z.string().trim().regex(cronShape, 'must be a cron expression such as "0 8 * * *" (minute hour day month weekday)'),
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as "UTC" or "Europe/Berlin"').default('UTC'),
  /** Which date a scheduled run processes, relative to its scheduled day: -1 is yesterday. */
  dateOffsetDays: z.number().int().max(0).default(-1),
  overlap: z.enum(overlapPolicies, { error: (issue) => refusedOverlapPolicy(issue.input) }).default('buffer_all'),
  /** After an outage, runs missed within this window are still started; older ones are dropped. */
  catchupWindow: duration.default('1d'),
  /** Each run starts up to this much later than scheduled, at random (spreads many pipelines' load). */
  jitter: duration.default('0s'),
  /** Pause the schedule when a scheduled run fails, until someone unpauses it. */
  pauseOnFailure: z.boolean().default(false),
});

// The step names come from the step registry; they are re-exported here for the config's readers.
export { stepNames, type StepName } from '../shared/steps';

const stepOverrideSchema = z.strictObject({
  startToCloseTimeout: duration.optional(),
  heartbeatTimeout: duration.optional(),
  maximumAttempts: z.number().int().min(1).optional(),
  initialInterval: duration.optional(),
});

/**
 * How the validate step spreads a date's files over the workers of its task queue: batches of at most `files`
 * files and `size` bytes (a larger file is a batch of its own), `atOnce` of them checked at the same time.
 */
const validateBatchSchema = z.strictObject({
  files: z.number().int().min(1).max(1000).optional(),
  size: byteSize.optional(),
  atOnce: z.number().int().min(1).max(200).optional(),
});

export const pipelineSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, "-" or "_"'),
    description: z.string().optional(),
    s3: s3Schema,
    contract: contractSchema,
    glue: glueSchema,
    redshift: redshiftSchema,
    views: z.array(sqlName).default([]),
    notifications: notificationsSchema,
    schedule: scheduleSchema.optional(),
    /** Prices for the Glue steps' estimated cost; AWS's list prices when left out. */
    cost: costSchema.optional(),
    steps: z
      .strictObject({
        validate: stepOverrideSchema.extend({ batch: validateBatchSchema.optional() }).optional(),
        glue: stepOverrideSchema.optional(),
        load: stepOverrideSchema.optional(),
        refresh: stepOverrideSchema.optional(),
        notify: stepOverrideSchema.optional(),
      } satisfies Record<StepName, z.ZodType>)
      .default({}),
    /** Runs go to this task queue, served by workers started with `etl worker --task-queue`. */
    taskQueue: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,200}$/, 'must be a task queue name (letters, digits, ".", "_", "-")')
      .default(defaultTaskQueue),
  })
  .superRefine((pipeline, ctx) => {
    for (const { path, message } of [...heartbeatProblems(pipeline), ...prefixProblems(pipeline)]) {
      ctx.addIssue({ code: 'custom', path, message });
    }
  })
  .transform((pipeline) => {
    const { s3, redshift } = pipeline;
    const source = redshift.copy.source ?? `s3://${s3.bucket}/${s3.prefixes.processed}{{date}}/`;
    return { ...pipeline, redshift: { ...redshift, copy: { ...redshift.copy, source } } };
  });

/** A value that cannot work, at its key path. */
export interface Problem {
  path: PropertyKey[];
  message: string;
}

/** The steps that wait on AWS heartbeat every few seconds: a heartbeat timeout must leave room for a slow poll between two. */
function heartbeatProblems(pipeline: Pick<PipelineConfig, 'steps'>): Problem[] {
  const shortest = `${shortestWaitingHeartbeatTimeoutMs / 1000}s`;
  return stepNames
    .filter((step) => 'heartbeatTimeout' in steps[step].defaults)
    .flatMap((step): Problem[] => {
      const heartbeat = pipeline.steps[step]?.heartbeatTimeout;
      if (!heartbeat || msToNumber(heartbeat) >= shortestWaitingHeartbeatTimeoutMs) return [];
      return [
        {
          path: ['steps', step, 'heartbeatTimeout'],
          message: `must be at least ${shortest}: the step heartbeats every ${waitingHeartbeatEveryMs / 1000}s, so a shorter timeout would fail it on a busy worker`,
        },
      ];
    });
}

/** The prefixes that must not overlap: those a date's files move between, and each of them with Glue's output. */
const separatePrefixes: [PrefixName, PrefixName][] = [
  ['raw', 'validated'],
  ['raw', 'errors'],
  ['raw', 'archive'],
  ['validated', 'errors'],
  ['validated', 'archive'],
  ['errors', 'archive'],
  ['raw', 'processed'],
  ['validated', 'processed'],
  ['errors', 'processed'],
];

type PrefixName = keyof PipelineConfig['s3']['prefixes'];

/** Each folder is listed by its prefix: if one contained another, listing one would take the other's files for its own. */
function prefixProblems(pipeline: Pick<PipelineConfig, 'name' | 's3'>): Problem[] {
  const values: Record<PrefixName, string> = { ...pipeline.s3.prefixes, archive: archivePrefix(pipeline) };
  return separatePrefixes.flatMap(([first, second]): Problem[] => {
    const [one, other] = [values[first], values[second]];
    if (!one.startsWith(other) && !other.startsWith(one)) return [];
    const value = `${JSON.stringify(other)}${second === 'archive' && !pipeline.s3.prefixes.archive ? ' (the default)' : ''}`;
    const relation =
      one === other ? `is also s3.prefixes.${first}` : `${other.startsWith(one) ? 'lies inside' : 'contains'} s3.prefixes.${first} (${JSON.stringify(one)})`;
    return [
      {
        path: ['s3', 'prefixes', second],
        message: `${value} ${relation}: give each prefix its own folder, or files of one would be taken for the other's`,
      },
    ];
  });
}

/** Where a pipeline keeps what is no longer part of a date's input (also for a config recorded before the key existed). */
export function archivePrefix(pipeline: { name: string; s3: { prefixes: { archive?: string } } }): string {
  return pipeline.s3.prefixes.archive ?? `archive/${pipeline.name}/`;
}

export type PipelineConfig = z.infer<typeof pipelineSchema>;
export type Contract = z.infer<typeof contractSchema>;
export type Column = z.infer<typeof columnSchema>;
export type StepOverride = z.infer<typeof stepOverrideSchema>;
