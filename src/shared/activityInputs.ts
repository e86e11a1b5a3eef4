import type { Contract, PipelineConfig } from '../config/schema';
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
type RedshiftTarget = PipelineConfig['redshift'];

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
  /** What happens to the date's earlier output (under the COPY source) before a new run. */
  previousOutput: PipelineConfig['glue']['previousOutput'];
  /** The COPY source as configured (`redshift.copy.source`): the folder the job writes the date's output to. */
  copySource: string;
  /** The pipeline's own folders, which clearing the COPY source must not touch, and its archive. */
  s3: Pick<S3Settings, 'bucket' | 'prefixes'>;
}

/** The load of a date: the Redshift target and its COPY settings. */
export interface LoadInput {
  pipelineName: string;
  date: string;
  redshift: RedshiftTarget;
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

/** The Glue job whose concurrency cap a backfill reads. */
export interface GlueJobInput {
  jobName: string;
}

export function dateFilesInput(pipeline: PipelineConfig, date: string): DateFilesInput {
  return { pipelineName: pipeline.name, date, s3: pipeline.s3 };
}

export function fileCheckInput(pipeline: PipelineConfig, date: string): FileCheckInput {
  return { ...dateFilesInput(pipeline, date), contract: pipeline.contract };
}

export function batchLimits(pipeline: PipelineConfig): BatchLimits {
  const { files, bytes } = validateBatch(pipeline);
  return { files, bytes };
}

/** Without a trigger, the run gets the step's own settings, none of a trigger's overrides. */
export function glueStartInput(pipeline: PipelineConfig, date: string, runKey: string, trigger?: Trigger): GlueStartInput {
  const { bucket, prefixes } = pipeline.s3;
  return {
    ...glueRunSettings(pipeline.glue, trigger),
    pipelineName: pipeline.name,
    date,
    runKey,
    jobName: pipeline.glue.jobName,
    arguments: pipeline.glue.arguments,
    // A config recorded before the key existed has none: it gets the default.
    previousOutput: pipeline.glue.previousOutput ?? 'delete',
    copySource: pipeline.redshift.copy.source,
    s3: { bucket, prefixes },
  };
}

export function loadInput(pipeline: PipelineConfig, date: string): LoadInput {
  return { pipelineName: pipeline.name, date, redshift: pipeline.redshift };
}

export function refreshInput(pipeline: PipelineConfig, date: string): RefreshInput {
  const { clusterIdentifier, workgroupName, database, secretArn, dbUser, pollInterval } = pipeline.redshift;
  return { pipelineName: pipeline.name, date, redshift: { clusterIdentifier, workgroupName, database, secretArn, dbUser, pollInterval }, views: pipeline.views };
}

export function glueJobInput(pipeline: PipelineConfig): GlueJobInput {
  return { jobName: pipeline.glue.jobName };
}
