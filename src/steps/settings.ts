import type { z } from 'zod';
import type { StepKind } from './registry';
import { crawlerSettings } from './crawler/settings';
import { glueSettings } from './glue/settings';
import { loadSettings } from './load/settings';
import { notifySettings } from './notify/settings';
import { partitionsSettings } from './partitions/settings';
import { refreshSettings } from './refresh/settings';
import { sqlSettings } from './sql/settings';
import { validateSettings } from './validate/settings';

/** Each step kind's settings in a pipeline's `steps` list: the schema the config checks a step of the kind against. */
export const stepSchemas = {
  validate: validateSettings,
  glue: glueSettings,
  load: loadSettings,
  sql: sqlSettings,
  crawler: crawlerSettings,
  partitions: partitionsSettings,
  refresh: refreshSettings,
  notify: notifySettings,
} satisfies { [K in StepKind]: z.ZodType<{ kind: K }> };
