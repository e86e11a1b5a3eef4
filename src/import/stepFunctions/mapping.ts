import * as fs from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../../config/configError';
import { pipelineNameSchema } from '../../config/fields';
import { s3Schema, scheduleSchema } from '../../config/schema';
import { contractSchema } from '../../steps/validate/settings';
import { toConfigIssues, yamlWording } from '../../config/schemaIssues';
import { parseYaml } from '../../config/yamlSource';

/** The step kinds a Task state (a Lambda, an unknown resource) can stand for. */
export const taskKinds = ['validate', 'glue', 'crawler', 'partitions', 'load', 'sql', 'refresh'] as const;
export type TaskKind = (typeof taskKinds)[number];

/**
 * What one Lambda function becomes: a step kind (needed when its name does not say it) and the step's config,
 * copied into the step as written. The keys checked here are the ones a Lambda's name never tells.
 */
const lambdaSchema = z.looseObject({
  kind: z.enum(taskKinds).optional(),
  contract: contractSchema.optional(),
  table: z.string().min(1).optional(),
  dateColumn: z.string().min(1).optional(),
  copy: z.record(z.string(), z.unknown()).optional(),
  views: z.array(z.string().min(1)).min(1).optional(),
});

/** What a user tells the importer that the state machine cannot say; each part is copied as written. */
const mappingSchema = z.strictObject({
  name: pipelineNameSchema.optional(),
  description: z.string().optional(),
  s3: s3Schema.optional(),
  /** The Redshift connection the load, sql and refresh steps share. */
  redshift: z.record(z.string(), z.unknown()).optional(),
  schedule: scheduleSchema.optional(),
  /** By function name (the last part of its ARN, without a version or alias). */
  lambdas: z.record(z.string().min(1), lambdaSchema).optional(),
  /**
   * By state name: config added to the state's step (a mapping such as `arguments` joins the step's own), or,
   * with a kind, the step the state becomes instead (for a Choice, a Wait, an unknown resource).
   */
  states: z.record(z.string().min(1), z.looseObject({ kind: z.enum(taskKinds).optional(), options: z.record(z.string(), z.unknown()).optional() })).optional(),
});

export interface MappedStep {
  kind?: TaskKind;
  [key: string]: unknown;
}

export interface ImportMapping {
  name?: string;
  description?: string;
  s3?: Record<string, unknown>;
  redshift?: Record<string, unknown>;
  schedule?: Record<string, unknown>;
  lambdas?: Record<string, MappedStep>;
  states?: Record<string, MappedStep>;
}

/** Reads and checks a mapping file; a problem is a ConfigError naming its file, line and key. */
export function loadMapping(file: string): ImportMapping {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ problem: `cannot read the mapping file (${(error as NodeJS.ErrnoException).code ?? String(error)})` }]);
  }
  const source = parseYaml(file, text);
  const result = mappingSchema.safeParse(source.data, { error: yamlWording });
  if (!result.success) throw new ConfigError(file, toConfigIssues(result.error.issues, source.locate));
  // As written, not as parsed: the pipeline file gets the user's keys, not the schemas' defaults.
  return source.data as ImportMapping;
}
