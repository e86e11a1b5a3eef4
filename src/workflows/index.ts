export { pipelineRun, dailyPipeline, progressQuery } from './pipeline';
export { scheduledPipeline } from './scheduled';
export { backfillPipeline, backfillProgressQuery } from './backfill';
