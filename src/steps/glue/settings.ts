import { z } from 'zod';
import { pollInterval, s3Folder, stepCommon, templated } from '../../config/fields';
import { executionClasses, glueWorkerTypes } from '../../shared/glueRunSettings';
import type { Trigger } from '../../shared/pipelineRun';

// A glue step's settings: the job, its arguments and how its run is sized, per trigger if need be.

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

export const glueSettings = glueSchema.extend({
  kind: z.literal('glue'),
  ...stepCommon,
  /**
   * The folder the job writes the date's output to, cleared (`previousOutput`) before a new run so a later step
   * reads this run's output only. Default: the COPY source of the load step after it, when no other Glue step comes between them.
   */
  output: s3Folder.optional(),
});
