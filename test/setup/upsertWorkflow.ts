import { upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributes } from '../../src/shared/searchAttributes';

/** Sets every project search attribute, as a pipeline run does; fails its task if one is not registered. */
export async function upsertAll(): Promise<void> {
  upsertSearchAttributes([
    { key: searchAttributes.pipeline, value: 'orders' },
    { key: searchAttributes.date, value: new Date('2024-01-15T00:00:00Z') },
    { key: searchAttributes.trigger, value: 'manual' },
    { key: searchAttributes.step, value: 'validate' },
    { key: searchAttributes.outcome, value: 'succeeded' },
  ]);
}
