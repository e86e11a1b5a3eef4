import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common';
import { z } from 'zod';
import { InvalidTemplateError, renderTemplate } from '../shared/dates';

// The kinds of value pipeline files are made of, shared by the pipeline's schema and each step kind's settings.

/** A SQL identifier, optionally schema-qualified: the only way a name reaches generated SQL. */
export const sqlName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/, 'must be a SQL name such as "public.fct_orders"');

export const s3Prefix = z.string().regex(/^([A-Za-z0-9!_.*'()-]+\/)+$/, 'must be an S3 key prefix ending in "/", such as "raw/orders/"');

/** A duration Temporal understands, such as "30s", "15m" or "2h". */
export const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as "30s", "15m" or "2h"')
  .transform((text) => text as Duration);

/** The pause between two polls of a step that waits on AWS. */
export const pollInterval = duration.refine(
  (text) => msToNumber(text) > 0,
  'must be longer than 0, such as "5s": polling without a pause calls AWS in a tight loop',
);

/** Text with date placeholders; checking them here turns a typo such as "{{dat}}" into a load-time error. */
export const templated = (text: z.ZodString) =>
  text.superRefine((value, ctx) => {
    try {
      renderTemplate(value, { date: '2000-01-01' });
    } catch (error) {
      if (!(error instanceof InvalidTemplateError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  });

export const arn = (service: string) => z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `must be an ${service} ARN (arn:aws:${service}:...)`);

/** A size such as "500MB" or "100GiB". */
export const byteSize = z.string().regex(/^\d+(\.\d+)?(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/, 'must be a size such as "500MB", "100GB" or "2TiB"');

/** An s3:// folder a run renders with its date (COPY cannot bind parameters: no quotes or backslashes). */
export const s3Folder = templated(
  z
    .string()
    .regex(/^s3:\/\/[^'\\]+$/, 'must be an s3:// URL without quotes or backslashes')
    // A prefix without the slash also matches its neighbours, such as order_date=2024-01-15_old/.
    .endsWith('/', 'must be a folder: end it with "/"'),
);

/** Timeouts and retries a step's `options` may override. */
export const stepOverrideSchema = z.strictObject({
  startToCloseTimeout: duration.optional(),
  heartbeatTimeout: duration.optional(),
  maximumAttempts: z.number().int().min(1).optional(),
  initialInterval: duration.optional(),
});

/** How pipelines and steps are named: in workflow ids, file names, search attributes and the CLI. */
const namePattern = /^[a-z][a-z0-9_-]*$/;

/** A pipeline's name, which is also its file's (`<name>.yaml`). */
export const pipelineNameSchema = z.string().regex(namePattern, 'must be lower-case letters, digits, "-" or "_"');

/** How a run, the CLI (`--from-step`) and the results name a step; the kind's name unless the kind repeats. */
const stepIdSchema = z.string().regex(namePattern, 'must be lower-case letters, digits, "-" or "_", such as "transform"');

/** What every step of the list may say besides its kind's settings: its id and its activities' options. */
export const stepCommon = { id: stepIdSchema.optional(), options: stepOverrideSchema.default({}) };
