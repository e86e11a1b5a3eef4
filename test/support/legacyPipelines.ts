import type { LegacyPipelineConfig, PipelineConfig } from '../../src/config/schema';
import { stepOf, testPipeline } from './pipelines';

/**
 * The pipeline as runs started before step lists carry it (and as activities scheduled then still get it): the
 * settings of its validate, glue, load and refresh steps in sections of their own, their options in a `steps` map.
 */
export function legacyPipeline(pipeline: PipelineConfig = testPipeline()): LegacyPipelineConfig {
  // Keys the earlier form never had are left out: workflow code of that time refuses them.
  const { steps: _steps, redshift, cost: _cost, notifications, ...rest } = pipeline;
  const { backfillAlerts: _backfillAlerts, ...earlierNotifications } = notifications;
  const { contract, batch, options: validateOptions } = stepOf(pipeline, 'validate');
  const { kind: _glue, id: _glueId, options: glueOptions, output: _output, ...glue } = stepOf(pipeline, 'glue');
  const { options: loadOptions, table, dateColumn, copy, mode, keyColumns } = stepOf(pipeline, 'load');
  const { options: refreshOptions, views } = stepOf(pipeline, 'refresh');
  // As recorded then: without the keys added since, which the type (today's schema's output) has.
  return {
    ...rest,
    contract,
    glue,
    notifications: earlierNotifications,
    redshift: { ...redshift!, table, dateColumn, copy, ...(mode !== 'replace-date' && { mode }), ...(keyColumns && { keyColumns }) },
    views,
    steps: {
      validate: { ...validateOptions, ...(batch && { batch }) },
      glue: glueOptions,
      load: loadOptions,
      refresh: refreshOptions,
      notify: stepOf(pipeline, 'notify').options,
    },
  } as unknown as LegacyPipelineConfig;
}
