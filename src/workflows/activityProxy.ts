import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';

/** The activities, scheduled with a step's options. */
export const activities = (options: ActivityOptions) => proxyActivities<PipelineActivities>(options);
