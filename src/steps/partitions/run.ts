import type { PartitionResult } from '../../shared/stepResults';
import { activities } from '../../workflows/activityProxy';
import type { KindRun } from '../run';

export const partitionsRun: KindRun<'partitions'> = {
  summary: (step, { date }) => `register the ${date} partition of ${step.database}.${step.table}`,
  run: (step, { pipeline, date }, options) =>
    activities(options).registerPartition({
      pipelineName: pipeline.name,
      date,
      database: step.database,
      table: step.table,
      values: step.values,
      location: step.location,
    }),
  describe: describePartition,
};

export function describePartition(result: PartitionResult): string {
  return `partition (${result.values.join(', ')}) of ${result.database}.${result.table} ${result.action}: ${result.location}`;
}
