export { dailyPipeline, progressQuery } from './pipeline';
