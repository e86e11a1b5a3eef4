import { configVersion } from '../../src/client/operations/configVersion';
import { testPipeline, withStep } from '../support/pipelines';

test('the config version is a short hash that ignores key order and follows every setting', () => {
  const pipeline = testPipeline();
  const reordered = Object.fromEntries(Object.entries(pipeline).reverse()) as typeof pipeline;
  const otherTable = withStep(pipeline, 'load', { table: 'public.fct_orders_v2' });

  expect(configVersion(pipeline)).toMatch(/^[0-9a-f]{12}$/);
  expect(configVersion(reordered)).toBe(configVersion(pipeline));
  expect(configVersion(otherTable)).not.toBe(configVersion(pipeline));
});
