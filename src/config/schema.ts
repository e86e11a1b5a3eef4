import { msToNumber } from '@temporalio/common';
import { z } from 'zod';
import { defaultTaskQueue } from '../shared/ids';
import { shortestWaitingHeartbeatTimeoutMs, waitingHeartbeatEveryMs } from '../shared/waitingHeartbeats';
import { legacyAsList, withStepDefaults } from '../shared/pipelineSteps';
import { defaultCostSettings } from '../shared/glueCost';
import { executionClasses } from '../shared/glueRunSettings';
import { glueSchema } from '../steps/glue/settings';
import { loadModeProblems, loadShape } from '../steps/load/settings';
import { stepKinds, steps, type StepKind } from '../steps/registry';
import { stepSchemas } from '../steps/settings';
import { contractSchema, validateBatchSchema } from '../steps/validate/settings';
import { arn, byteSize, duration, pipelineNameSchema, pollInterval, s3Prefix, sqlName, stepOverrideSchema } from './fields';

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** What a new delivery of a date's files does to the files validated for it earlier. */
export const redeliveryModes = ['replace', 'append'] as const;

/** Objects under raw/<date>/ that are not data files: left where they are, named in the run's result. */
export const defaultIgnorePatterns = ['_SUCCESS', '*.tmp'];

export const s3Schema = z.strictObject({
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  prefixes: z.strictObject({
    raw: s3Prefix,
    validated: s3Prefix,
    errors: s3Prefix,
    /** Where the Glue job writes its output: the COPY source lies under it (and by default is <processed><date>/). */
    processed: s3Prefix,
    /** Where files that are no longer part of a date's input are kept for audit; default archive/<pipeline>/. */
    archive: s3Prefix.optional(),
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

/** Where Redshift statements run: the connection every load, sql and refresh step of a pipeline shares. */
const redshiftConnectionShape = {
  clusterIdentifier: z.string().min(1).optional(),
  workgroupName: z.string().min(1).optional(),
  database: z.string().min(1),
  secretArn: arn('secretsmanager').optional(),
  dbUser: z.string().min(1).optional(),
  pollInterval: pollInterval.default('5s'),
  /** SQL that creates the tables and the views (a path relative to this file), applied by the local stack. */
  ddl: z.string().min(1).optional(),
};

// The Redshift Data API's ways to connect: a cluster with a secret, a db user or the caller's IAM identity;
// a serverless workgroup with a secret or the caller's IAM identity (it has no db users).
function connectionProblems(redshift: { clusterIdentifier?: string; workgroupName?: string; secretArn?: string; dbUser?: string }, ctx: z.core.$RefinementCtx) {
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
}

const redshiftConnectionSchema = z.strictObject(redshiftConnectionShape).superRefine(connectionProblems);

/** A file written before pipelines had a step list: its `redshift` holds the connection and the load's settings. */
const legacyRedshiftSchema = z
  .strictObject({ ...redshiftConnectionShape, ...loadShape })
  .superRefine(connectionProblems)
  .superRefine(loadModeProblems);

const dpuHourPrice = z.number().min(0, 'must be a price of 0 or more');

const currencyCode = /^[A-Z]{3}$/;

/**
 * The prices a Glue step's estimated cost is worked out at, per DPU-hour by execution class; a price left out is
 * AWS's us-east-1 list price in USD, so with another currency both are given.
 */
const costSchema = z
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

/** What a backfill's dates alert: nothing, the backfill's one summary says how each ended; or each failed date too. */
export const backfillAlerts = ['summary', 'each-failure'] as const;

export const notificationsSchema = z.strictObject({
  successTopicArn: arn('sns'),
  failureTopicArn: arn('sns'),
  backfillAlerts: z.enum(backfillAlerts).default('summary'),
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

/** Left in a file by `etl import step-functions` where a state could not be mapped: refused until someone resolves it. */
const importTodo = z.object({ kind: z.literal('todo') }).superRefine((todo, ctx) => {
  ctx.addIssue({ code: 'custom', path: ['kind'], message: 'is a TODO left by `etl import`: replace this step with one of the kinds it stands for, or remove it' });
});

/** A kind left out or misspelt: named with the kinds a step can be (not `todo`, which is never accepted). */
function unknownStepKind(step: unknown): string {
  const kind = (step as { kind?: unknown } | undefined)?.kind;
  const expected = `expected one of: ${stepKinds.join(', ')}`;
  return kind === undefined ? `missing (${expected})` : `unknown step kind ${JSON.stringify(kind)} (${expected})`;
}

/** Every kind's settings, in the registry's order. */
const kindSchemas = stepKinds.map<(typeof stepSchemas)[StepKind]>((kind) => stepSchemas[kind]);

const stepSchema = z.discriminatedUnion('kind', [importTodo, ...kindSchemas], {
  error: (issue) => (issue.code === 'invalid_union' && issue.note === 'No matching discriminator' ? unknownStepKind(issue.input) : undefined),
});

/** The keys every pipeline has, whichever way it writes its steps. */
const pipelineShape = {
  name: pipelineNameSchema,
  description: z.string().optional(),
  s3: s3Schema,
  notifications: notificationsSchema,
  schedule: scheduleSchema.optional(),
  /** Prices for the Glue steps' estimated cost; AWS's list prices when left out. */
  cost: costSchema.optional(),
  /** Runs go to this task queue, served by workers started with `etl worker --task-queue`. */
  taskQueue: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,200}$/, 'must be a task queue name (letters, digits, ".", "_", "-")')
    .default(defaultTaskQueue),
};

/** A key of a file written before pipelines had a step list, which a file with one says in its steps instead. */
const movedToStep = (where: string) => z.never({ error: `belongs to the steps list in a pipeline that has one: ${where}` }).optional();

/** A pipeline whose `steps` is a list of typed steps, run in order. */
const listFormObject = z.strictObject({
  ...pipelineShape,
  redshift: redshiftConnectionSchema.optional(),
  steps: z.array(stepSchema).min(1, 'must list at least one step'),
  contract: movedToStep('move it to the validate step (- kind: validate, contract: ...)'),
  glue: movedToStep('move it to a glue step (- kind: glue, jobName: ...)'),
  views: movedToStep('move them to a refresh step (- kind: refresh, views: [...])'),
});
const listFormSchema = listFormObject.transform((pipeline): PipelineConfig => withStepDefaults(pipeline as typeof pipeline & { steps: ParsedStep[] }));

/** A pipeline written before pipelines had a step list: the one shape validate, glue, load, refresh, notify. */
const legacyFormSchema = z.strictObject({
  ...pipelineShape,
  contract: contractSchema,
  glue: glueSchema,
  redshift: legacyRedshiftSchema,
  views: z.array(sqlName).default([]),
  steps: z
    .strictObject({
      validate: stepOverrideSchema.extend({ batch: validateBatchSchema.optional() }).optional(),
      glue: stepOverrideSchema.optional(),
      load: stepOverrideSchema.optional(),
      refresh: stepOverrideSchema.optional(),
      notify: stepOverrideSchema.optional(),
    })
    .default({}),
});

export type ParsedStep = z.output<(typeof stepSchemas)[StepKind]>;

/** Where a step's settings and options are in the file, for problems found once the steps are a list. */
export type StepLocator = (index: number, step: PipelineStep, ...keys: PropertyKey[]) => PropertyKey[];

const listPlaces: StepLocator = (index, _step, ...keys) => ['steps', index, ...keys];

/** A legacy file keeps each step's settings in a section of its own and its options under `steps.<kind>`. */
const legacyPlaces: StepLocator = (_index, step, ...keys) => {
  if (keys[0] === 'options') return ['steps', step.kind, ...keys.slice(1)];
  const section: Partial<Record<StepKind, string>> = { glue: 'glue', load: 'redshift' };
  return [...(section[step.kind] ? [section[step.kind]!] : []), ...keys];
};

/** The parsed pipeline, and where in the file each of its steps came from. */
export interface ParsedPipeline {
  pipeline: PipelineConfig;
  locate: StepLocator;
}

/**
 * Validates a pipeline written either way (a `steps` list, or the sections of a file written before lists) and
 * returns it as a list: the form every reader uses.
 */
export function parsePipeline(
  data: unknown,
  params?: z.core.ParseContext<z.core.$ZodIssue>,
): { success: true; data: ParsedPipeline } | { success: false; error: z.ZodError } {
  const listed = isListForm(data);
  const parsed = listed ? listFormSchema.safeParse(data, params) : legacyFormSchema.transform(legacyAsList).safeParse(data, params);
  if (!parsed.success) return { success: false, error: parsed.error };
  const locate = listed ? listPlaces : legacyPlaces;
  const problems = [...stepListProblems(parsed.data, locate), ...heartbeatProblems(parsed.data, locate), ...prefixProblems(parsed.data)];
  if (problems.length > 0) {
    return { success: false, error: new z.ZodError(problems.map(({ path, message }) => ({ code: 'custom', path, message, input: undefined }))) };
  }
  return { success: true, data: { pipeline: parsed.data, locate } };
}

/** A file is in the earlier form when its `steps` is left out or a mapping (of step options); else it is a list. */
function isListForm(data: unknown): boolean {
  if (typeof data !== 'object' || data === null || !('steps' in data)) return false;
  const { steps } = data;
  return Array.isArray(steps) || typeof steps !== 'object' || steps === null;
}

/** Kinds that can appear once only: one validation of the date's raw files, one notification at the end. */
const once: StepKind[] = ['validate', 'notify'];

/** Kinds that run statements on the pipeline's Redshift connection. */
export const onRedshift: StepKind[] = ['load', 'sql', 'refresh'];

/** Two steps with one id: said at the step that can change it (a step's own kind is its id unless it names one). */
function idProblem(earlierStep: PipelineStep, earlier: number, step: PipelineStep, index: number, locate: StepLocator): Problem {
  if (earlierStep.kind === step.kind && once.includes(step.kind)) {
    return { path: locate(index, step, 'kind'), message: `a pipeline has one ${step.kind} step; steps[${earlier}] is one already` };
  }
  if (step.id === step.kind && earlierStep.kind !== step.kind) {
    // Such as a glue step with id "notify" before the notify step that is added at the end.
    return { path: locate(earlier, earlierStep, 'id'), message: `is the id of the ${step.kind} step (its kind): give this ${earlierStep.kind} step another id` };
  }
  const each = earlierStep.kind === step.kind ? `each ${step.kind} step` : 'each step';
  return { path: locate(index, step, 'id'), message: `is also the id of steps[${earlier}]: give ${each} its own id (id: ...)` };
}

function stepListProblems(pipeline: PipelineConfig, locate: StepLocator): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  pipeline.steps.forEach((step, index) => {
    const earlier = seen.get(step.id);
    if (earlier !== undefined) problems.push(idProblem(pipeline.steps[earlier], earlier, step, index, locate));
    seen.set(step.id, index);
    if (step.kind === 'notify' && index !== pipeline.steps.length - 1) {
      problems.push({ path: locate(index, step, 'kind'), message: 'notify is the last step: move it to the end of the list, or leave it out (it is added there)' });
    }
    if (onRedshift.includes(step.kind) && !pipeline.redshift) {
      problems.push({
        path: ['redshift'],
        message: `missing: the ${String(step.id)} step runs on Redshift; set redshift (workgroupName or clusterIdentifier, database, ...)`,
      });
    }
  });
  return problems;
}

/** A value that cannot work, at its key path. */
export interface Problem {
  path: PropertyKey[];
  message: string;
}

/** The steps that wait on AWS heartbeat every few seconds: a heartbeat timeout must leave room for a slow poll between two. */
function heartbeatProblems(pipeline: PipelineConfig, locate: StepLocator): Problem[] {
  const shortest = `${shortestWaitingHeartbeatTimeoutMs / 1000}s`;
  return pipeline.steps.flatMap((step, index): Problem[] => {
    const heartbeat = step.options.heartbeatTimeout;
    if (!('heartbeatTimeout' in steps[step.kind].defaults) || !heartbeat || msToNumber(heartbeat) >= shortestWaitingHeartbeatTimeoutMs) return [];
    return [
      {
        path: locate(index, step, 'options', 'heartbeatTimeout'),
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

/** A step of a pipeline's list as every reader sees it: its id always set. */
export type PipelineStep = { [K in StepKind]: StepOf<K> }[StepKind];
export type StepOf<K extends StepKind> = Omit<z.output<(typeof stepSchemas)[K]>, 'id'> & { id: string } & (K extends 'load'
    ? { copy: { source: string } }
    : unknown);

/** A pipeline's config as the loader returns it and a run carries it: its steps a list. */
export type PipelineConfig = Omit<z.output<typeof listFormObject>, 'steps' | 'contract' | 'glue' | 'views'> & { steps: PipelineStep[] };
export type S3Settings = z.output<typeof s3Schema>;
/** A pipeline's config as runs started before step lists carry it (the legacy file's sections, defaults applied). */
export type LegacyPipelineConfig = z.output<typeof legacyFormSchema> & { redshift: { copy: { source: string } } };
/** The config's `redshift`: the connection, and the DDL the local stack applies. */
export type RedshiftSettings = z.output<typeof redshiftConnectionSchema>;

export type StepOverride = z.infer<typeof stepOverrideSchema>;
