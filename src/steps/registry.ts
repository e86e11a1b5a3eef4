import { crawlerDefinition } from './crawler/definition';
import { glueDefinition } from './glue/definition';
import { loadDefinition } from './load/definition';
import { notifyDefinition } from './notify/definition';
import { partitionsDefinition } from './partitions/definition';
import { refreshDefinition } from './refresh/definition';
import { sqlDefinition } from './sql/definition';
import { validateDefinition } from './validate/definition';

// The step kinds, each defined once in its own folder (definition.ts: what it schedules and its options;
// settings.ts: its config; run.ts: how a run carries it out and shows it). The config's kinds, retry policies,
// metric labels and the printers' titles all come from here; adding a kind is a folder and a line in this file,
// settings.ts and runs.ts. Workflow-safe: bundled into workflow code.

import type { StepDefinition } from './definition';

export type { StepDefinition };

/** In the order the sample pipeline's steps run, then the others. */
export const steps = {
  validate: validateDefinition,
  glue: glueDefinition,
  load: loadDefinition,
  sql: sqlDefinition,
  crawler: crawlerDefinition,
  partitions: partitionsDefinition,
  refresh: refreshDefinition,
  notify: notifyDefinition,
} satisfies Record<string, StepDefinition>;

export type StepKind = keyof typeof steps;

/** The kinds, in the order above. */
export const stepKinds = Object.keys(steps) as readonly StepKind[];

/** The kinds that start outside work and wait for it: a Glue run or crawl, a Redshift statement. */
export type WaitingStep = { [K in StepKind]: (typeof steps)[K] extends { waitsOn: string } ? K : never }[StepKind];

/** Whether a rerun from a later step reuses a step of this kind's result (every kind's but notify's). */
export function isReusable(kind: StepKind): boolean {
  const definition: StepDefinition = steps[kind];
  return definition.reusable !== false;
}
