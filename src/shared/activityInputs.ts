import type { PipelineConfig, RedshiftSettings, StepOf } from '../config/schema';
import type { Contract } from '../steps/validate/settings';
import { validateBatch } from '../config/sizes';
import { glueRunSettings, type GlueRunSettings } from './glueRunSettings';
import type { Trigger } from './pipelineRun';

// What the workflows hand each activity: the part of the pipeline's config the activity uses, not the whole
// config, so a scheduled activity's input in the history says what it works on. Built here from a config, by the
// workflows and, for inputs recorded before, by the activities (src/activities/earlierInputs.ts).
//
// Scheduling these in place of the whole config needs no patch: on replay Temporal matches a scheduled activity
// to its recorded event by activity id and type only, never by its input (sdk-core's activity state machine), so
// histories recorded with the old inputs replay as they are, and a patch would only add markers. What does meet
// the old inputs is the activities: one scheduled before is retried with the input it was scheduled with.

type S3Settings = PipelineConfig['s3'];

/** A load step's target, and the connection it runs on. */
export type RedshiftTarget = Omit<RedshiftSettings, 'ddl'> & Pick<StepOf<'load'>, 'table' | 'dateColumn' | 'copy' | 'mode' | 'keyColumns'>;

/** A date's files in the pipeline's bucket: the validate step's activities and the check before the load. */
export interface DateFilesInput {
  pipelineName: string;
  /** 'YYYY-MM-DD', already validated. */
  date: string;
  s3: S3Settings;
}

/** The checks of a date's files: where they are, and the contract they must meet. */
export interface FileCheckInput extends DateFilesInput {
  contract: Contract;
}

/** How the validate step cuts a round's files into batches: at most `files` files and `bytes` bytes each. */
export interface BatchLimits {
  files: number;
  bytes: number;
}

/**
 * The start of the pipeline run's Glue run, and the clearing of the date's earlier output before it. Its run
 * settings (execution class, workers, timeout) are those of the run's trigger; inputs recorded before have none.
 */
export interface GlueStartInput extends GlueRunSettings {
  pipelineName: string;
  date: string;
  /** Unique per pipeline run: a Glue run carrying it is adopted instead of starting another. */
  runKey: string;
  jobName: string;
  /** The job's arguments as configured; the activity renders their templates for `date`. */
  arguments: Record<string, string>;
  /** What happens to the date's earlier output before a new run. */
  previousOutput: StepOf<'glue'>['previousOutput'];
  /**
   * The folder the job writes the date's output to, as configured (the glue step's `output`, by default the next
   * load's COPY source); absent when the step names none, and then nothing is cleared.
   */
  copySource?: string;
  /** The pipeline's own folders, which clearing the COPY source must not touch, and its archive. */
  s3: Pick<S3Settings, 'bucket' | 'prefixes'>;
}

/** The load of a date: the Redshift target, its COPY settings and its mode. */
export interface LoadInput {
  pipelineName: string;
  date: string;
  /** `mode` is absent from inputs recorded before load modes: those replaced the date's rows. */
  redshift: Omit<RedshiftTarget, 'mode'> & Partial<Pick<RedshiftTarget, 'mode'>>;
}

/** Where Redshift statements run, and how often a running one is checked. */
export type RedshiftConnection = Pick<RedshiftTarget, 'clusterIdentifier' | 'workgroupName' | 'database' | 'secretArn' | 'dbUser' | 'pollInterval'>;

/** The refresh of the pipeline's materialized views. */
export interface RefreshInput {
  pipelineName: string;
  date: string;
  redshift: RedshiftConnection;
  views: string[];
}

/** A sql step: statements run in order as one transaction, then the check, with `:date` bound to the run's date. */
export interface SqlInput {
  pipelineName: string;
  date: string;
  /** The step's id, which names its statement in Redshift. */
  stepId: string;
  redshift: RedshiftConnection;
  statements: string[];
  /** A query for rows that must not exist: any it returns fail the step. */
  check?: string;
}

/** The Glue job whose concurrency cap a backfill reads. */
export interface GlueJobInput {
  jobName: string;
}

export function dateFilesInput(pipeline: PipelineConfig, date: string): DateFilesInput {
  return { pipelineName: pipeline.name, date, s3: pipeline.s3 };
}

export function fileCheckInput(pipeline: PipelineConfig, step: StepOf<'validate'>, date: string): FileCheckInput {
  return { ...dateFilesInput(pipeline, date), contract: step.contract };
}

export function batchLimits(step: StepOf<'validate'>): BatchLimits {
  const { files, bytes } = validateBatch(step);
  return { files, bytes };
}

/** Without a trigger, the run gets the step's own settings, none of a trigger's overrides. */
export function glueStartInput(pipeline: PipelineConfig, step: StepOf<'glue'>, date: string, runKey: string, trigger?: Trigger): GlueStartInput {
  const { bucket, prefixes } = pipeline.s3;
  return {
    ...glueRunSettings(step, trigger),
    pipelineName: pipeline.name,
    date,
    runKey,
    jobName: step.jobName,
    arguments: step.arguments,
    // A config recorded before the key existed has none: it gets the default.
    previousOutput: step.previousOutput ?? 'delete',
    ...(step.output && { copySource: step.output }),
    s3: { bucket, prefixes },
  };
}

/** The Redshift connection the pipeline's load, sql and refresh steps share; the config refuses those steps without one. */
export function redshiftOf(pipeline: PipelineConfig): RedshiftSettings {
  return pipeline.redshift!;
}

export function loadInput(pipeline: PipelineConfig, step: StepOf<'load'>, date: string): LoadInput {
  const { table, dateColumn, copy, mode, keyColumns } = step;
  return {
    pipelineName: pipeline.name,
    date,
    redshift: { ...connectionOnly(redshiftOf(pipeline)), table, dateColumn, copy, mode, ...(keyColumns && { keyColumns }) },
  };
}

export function refreshInput(pipeline: PipelineConfig, views: string[], date: string): RefreshInput {
  return { pipelineName: pipeline.name, date, redshift: connectionOnly(redshiftOf(pipeline)), views };
}

/** What a statement needs to run: not the DDL file the local stack applies. */
function connectionOnly({ clusterIdentifier, workgroupName, database, secretArn, dbUser, pollInterval }: RedshiftSettings): RedshiftConnection {
  return { clusterIdentifier, workgroupName, database, secretArn, dbUser, pollInterval };
}

export function sqlInput(pipeline: PipelineConfig, step: StepOf<'sql'>, date: string): SqlInput {
  const { id: stepId, statements, check } = step;
  return { pipelineName: pipeline.name, date, stepId, redshift: connectionOnly(redshiftOf(pipeline)), statements, ...(check && { check }) };
}

export function glueJobInput(step: Pick<StepOf<'glue'>, 'jobName'>): GlueJobInput {
  return { jobName: step.jobName };
}
