import { loadPipeline } from '../../src/config/load';
import type { PipelineConfig } from '../../src/config/schema';

/** The sample orders pipeline, with fast polls and retries so tests do not wait on real-world intervals. */
export function testPipeline(overrides: Partial<PipelineConfig> = {}): PipelineConfig {
  const sample = loadPipeline('orders');
  return {
    ...sample,
    glue: { ...sample.glue, pollInterval: '50ms' },
    redshift: { ...sample.redshift, pollInterval: '50ms' },
    steps: {
      validate: { initialInterval: '100ms' },
      glue: { initialInterval: '100ms' },
      load: { initialInterval: '100ms' },
      refresh: { initialInterval: '100ms' },
      notify: { initialInterval: '100ms' },
    },
    ...overrides,
  };
}
