import type { LegacyPipelineConfig, PipelineConfig, StepOf } from '../config/schema';
import type { StepKind } from '../steps/registry';
import { legacyAsList, stepsOfKind } from '../shared/pipelineSteps';
import {
  batchLimits,
  dateFilesInput,
  fileCheckInput,
  glueJobInput,
  glueStartInput,
  loadInput,
  refreshInput,
  type BatchLimits,
  type DateFilesInput,
  type FileCheckInput,
  type GlueJobInput,
  type GlueStartInput,
  type LoadInput,
  type RefreshInput,
} from '../shared/activityInputs';
import type { NotificationInput } from './notify/message';

// Activity inputs as runs scheduled them before each activity got only what it uses: the whole pipeline config
// as `pipeline` (and, for a notification, the pipeline's name as `pipeline`). Activities scheduled then are still
// retried with that input, for hours, so every activity accepts it and derives its own input here. Remove this
// module once no open run (nor a backfill carrying one) started on workflow code older than the slim inputs.

/** An input recorded with the whole config in place of the fields `Derived` of today's input. */
export type WithConfig<T, Derived extends keyof T> = Omit<T, Derived> & { pipeline: LegacyPipelineConfig; date: string };

function fromConfig<T extends { date: string }, D extends keyof T>(input: T | WithConfig<T, D>, derive: (pipeline: PipelineConfig, date: string) => Pick<T, D>): T {
  if (!('pipeline' in input)) return input;
  const { pipeline, ...rest } = input;
  return { ...rest, ...derive(legacyAsList(pipeline), input.date) } as unknown as T;
}

/** The one step of a kind that a config recorded before step lists has. */
const only = <K extends StepKind>(pipeline: PipelineConfig, kind: K): StepOf<K> => stepsOfKind(pipeline, kind)[0];

type DateFilesFields = 'pipelineName' | 's3';
type FileCheckFields = DateFilesFields | 'contract';

export const dateFilesOf = <T extends DateFilesInput>(input: T | WithConfig<T, DateFilesFields>): T => fromConfig<T, DateFilesFields>(input, dateFilesInput);

export const fileCheckOf = <T extends FileCheckInput>(input: T | WithConfig<T, FileCheckFields>): T =>
  fromConfig<T, FileCheckFields>(input, (pipeline, date) => fileCheckInput(pipeline, only(pipeline, 'validate'), date));

export const roundPlanOf = <T extends DateFilesInput & { batch: BatchLimits }>(input: T | WithConfig<T, DateFilesFields | 'batch'>): T =>
  fromConfig<T, DateFilesFields | 'batch'>(input, (pipeline, date) => ({ ...dateFilesInput(pipeline, date), batch: batchLimits(only(pipeline, 'validate')) }));

type GlueStartFields = Exclude<keyof GlueStartInput, 'date' | 'runKey'>;

export const glueStartOf = <T extends GlueStartInput>(input: T | WithConfig<T, GlueStartFields>): T =>
  fromConfig<T, GlueStartFields>(input, (pipeline, date) => glueStartInput(pipeline, only(pipeline, 'glue'), date, input.runKey));

/** The one-activity Glue step: the start's fields and the job's poll interval. */
export const glueRunOf = <T extends GlueStartInput & { pollInterval: StepOf<'glue'>['pollInterval'] }>(
  input: T | WithConfig<T, GlueStartFields | 'pollInterval'>,
): T =>
  fromConfig<T, GlueStartFields | 'pollInterval'>(input, (pipeline, date) => {
    const glue = only(pipeline, 'glue');
    return { ...glueStartInput(pipeline, glue, date, input.runKey), pollInterval: glue.pollInterval };
  });

export const loadOf = <T extends LoadInput>(input: T | WithConfig<T, 'pipelineName' | 'redshift'>): T =>
  fromConfig<T, 'pipelineName' | 'redshift'>(input, (pipeline, date) => loadInput(pipeline, only(pipeline, 'load'), date));

export const refreshOf = <T extends RefreshInput>(input: T | WithConfig<T, 'pipelineName' | 'redshift' | 'views'>): T =>
  fromConfig<T, 'pipelineName' | 'redshift' | 'views'>(input, (pipeline, date) => refreshInput(pipeline, only(pipeline, 'refresh').views, date));

/** A backfill asked for the Glue job's cap with the whole config as the input itself. */
export const glueJobOf = (input: GlueJobInput | LegacyPipelineConfig): GlueJobInput => ('glue' in input ? glueJobInput(input.glue) : input);

/** A notification named its pipeline `pipeline`. */
export type EarlierNotificationInput = Omit<NotificationInput, 'pipelineName'> & { pipeline: string };

export function notificationOf(input: NotificationInput | EarlierNotificationInput): NotificationInput {
  if (!('pipeline' in input)) return input;
  const { pipeline, ...rest } = input;
  return { ...rest, pipelineName: pipeline };
}
