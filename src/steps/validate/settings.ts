import { z } from 'zod';
import { byteSize, stepCommon } from '../../config/fields';

// The validate step's settings: the file contract a date's raw files must meet, and how they spread over workers.

/** A `decimal(p,s)` column type's precision and scale; undefined for the other types. */
export function decimalType(type: string): { precision: number; scale: number } | undefined {
  const match = /^decimal\((\d+),(\d+)\)$/.exec(type);
  return match ? { precision: Number(match[1]), scale: Number(match[2]) } : undefined;
}

export const columnTypeSchema = z
  .string()
  .regex(/^(string|integer|date|timestamp|boolean|decimal\(\d{1,2},\d{1,2}\))$/, 'must be one of string, integer, decimal(p,s), date, timestamp, boolean')
  .refine((type) => {
    const decimal = decimalType(type);
    return !decimal || (decimal.precision >= 1 && decimal.precision <= 38 && decimal.scale <= decimal.precision);
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

/** The file formats a contract checks: CSV, JSON Lines (one object per line) and Parquet (by its schema and statistics). */
export const fileFormats = ['csv', 'jsonl', 'parquet'] as const;

const defaultDelimiter = ',';

const contractFields = z.strictObject({
  format: z.enum(fileFormats),
  /** CSV only: see contractSchema. */
  delimiter: z
    .string()
    .length(1)
    .superRefine((delimiter, ctx) => {
      const reason = unusableDelimiters[delimiter];
      if (reason) ctx.addIssue({ code: 'custom', message: `must not be ${JSON.stringify(delimiter)} (${reason}): use a character such as ",", ";", "|" or a tab` });
    })
    .default(defaultDelimiter),
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

export const contractSchema = contractFields.superRefine((contract, ctx) => {
  // Only a delimiter other than the default can be told from none: a parsed contract, which each run checks again, holds the default.
  if (contract.format !== 'csv' && contract.delimiter !== defaultDelimiter) {
    ctx.addIssue({
      code: 'custom',
      path: ['delimiter'],
      message: `only a csv contract has a delimiter; a ${contract.format} file has none: remove the delimiter`,
    });
  }
});

/**
 * How the validate step spreads a date's files over the workers of its task queue: batches of at most `files`
 * files and `size` bytes (a larger file is a batch of its own), `atOnce` of them checked at the same time.
 */
export const validateBatchSchema = z.strictObject({
  files: z.number().int().min(1).max(1000).optional(),
  size: byteSize.optional(),
  atOnce: z.number().int().min(1).max(200).optional(),
});

export const validateSettings = z.strictObject({ kind: z.literal('validate'), ...stepCommon, contract: contractSchema, batch: validateBatchSchema.optional() });

export type Contract = z.infer<typeof contractSchema>;
export type Column = z.infer<typeof columnSchema>;
