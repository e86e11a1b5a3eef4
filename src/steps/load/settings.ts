import { z } from 'zod';
import { arn, s3Folder, sqlName, stepCommon } from '../../config/fields';

// A load step's settings: the table, what COPY reads, and how the staged rows reach the table.

/** How a load's staged rows reach the table: see README, "Load". */
export const loadModes = ['replace-date', 'upsert', 'append'] as const;

/** The load's target and what COPY reads: a load step's settings. */
export const loadShape = {
  table: sqlName,
  dateColumn: sqlName,
  copy: z.strictObject({
    /**
     * S3 location COPY reads, the Glue job's output for the date, under s3.prefixes.processed; "{{date}}" is
     * replaced by the run's date. Default: the date's folder there, s3://<bucket>/<processed><date>/.
     */
    source: s3Folder.optional(),
    format: z.enum(['parquet', 'csv', 'json']),
    iamRole: arn('iam'),
    /**
     * The table's columns the files hold, in file order (Redshift matches Parquet and CSV columns by position).
     * Leave the date column out when the files lie in Hive-style partition folders (order_date=.../), which do
     * not hold it: the load supplies the run's date. Default: every column of the table, in table order.
     */
    columns: z.array(sqlName).min(1).optional(),
  }),
  /**
   * replace-date: the staged rows replace the date's rows. upsert: they replace the table's rows with the same
   * `keyColumns` and join it otherwise. append: they join the table, once per date.
   */
  mode: z.enum(loadModes).default('replace-date'),
  /** The columns that identify a row of the table, for `mode: upsert`. */
  keyColumns: z
    .array(sqlName)
    .min(1)
    .refine((columns) => new Set(columns).size === columns.length, 'must not list a column twice')
    .optional(),
};

/** keyColumns go with upsert, and only with it. */
export function loadModeProblems(load: { mode: LoadMode; keyColumns?: string[] }, ctx: z.core.$RefinementCtx) {
  if (load.mode === 'upsert' && !load.keyColumns) {
    ctx.addIssue({ code: 'custom', path: ['keyColumns'], message: 'is required with mode: upsert: list the columns that identify a row, such as [order_id]' });
  } else if (load.mode !== 'upsert' && load.keyColumns) {
    const message = `is only for mode: upsert; mode ${load.mode} does not match rows by key: remove keyColumns or set mode: upsert`;
    ctx.addIssue({ code: 'custom', path: ['keyColumns'], message });
  }
}

export const loadSettings = z.strictObject({ kind: z.literal('load'), ...stepCommon, ...loadShape }).superRefine(loadModeProblems);

export type LoadMode = (typeof loadModes)[number];
