export { ConfigError, type ConfigIssue } from './configError';
export { defaultConfigDir, loadAllPipelines, loadPipeline } from './load';
export * from './schema';
