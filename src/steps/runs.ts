import { crawlerRun } from './crawler/run';
import { glueRun } from './glue/run';
import { loadRun } from './load/run';
import { notifyRun } from './notify/run';
import { partitionsRun } from './partitions/run';
import { refreshRun } from './refresh/run';
import type { StepKind } from './registry';
import type { KindRun } from './run';
import { sqlRun } from './sql/run';
import { validateRun } from './validate/run';

/** How a run carries out each kind of step and shows it. Workflow-safe: bundled into workflow code. */
export const stepRuns: { [K in StepKind]: KindRun<K> } = {
  validate: validateRun,
  glue: glueRun,
  load: loadRun,
  sql: sqlRun,
  crawler: crawlerRun,
  partitions: partitionsRun,
  refresh: refreshRun,
  notify: notifyRun,
};
