import { msToTs } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { venvBinary } from '../../src/local/paths';
import { searchAttributes } from '../../src/shared/searchAttributes';
import { etl } from '../support/etl';
import { upsertAll } from './upsertWorkflow';

/** `etl setup` against a fresh dev server that knows none of the project's search attributes. */

const declarations = ['EtlPipeline=Keyword', 'EtlDate=Datetime', 'EtlTrigger=Keyword', 'EtlStep=Keyword', 'EtlOutcome=Keyword'];

let env: TestWorkflowEnvironment;
let cluster: Record<string, string>;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: venvBinary('temporal') }, ip: '127.0.0.1' } });
  cluster = { TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default' };
});

afterAll(async () => {
  await env?.teardown();
});

test('the first run adds every search attribute, the second adds nothing', () => {
  const first = etl(['setup'], cluster);
  expect(first.code).toBe(0);
  for (const declaration of declarations) expect(first.stdout).toMatch(new RegExp(`added\\s+${declaration}`));
  expect(first.stdout).toContain('Added 5; the namespace is ready.');

  const second = etl(['setup'], cluster);
  expect(second.code).toBe(0);
  expect(second.stdout).not.toContain('added');
  for (const declaration of declarations) expect(second.stdout).toMatch(new RegExp(`already set\\s+${declaration}`));
  expect(second.stdout).toContain('Nothing to add; the namespace is ready.');
});

test('after setup a workflow can set every search attribute', async () => {
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'setup-test', workflowsPath: require.resolve('./upsertWorkflow') });
  const handle = await worker.runUntil(async () => {
    const started = await env.client.workflow.start(upsertAll, { taskQueue: 'setup-test', workflowId: `setup-${Math.random()}` });
    await started.result();
    return started;
  });

  const { typedSearchAttributes } = await handle.describe();
  expect(typedSearchAttributes.get(searchAttributes.pipeline)).toBe('orders');
  expect(typedSearchAttributes.get(searchAttributes.date)).toEqual(new Date('2024-01-15T00:00:00Z'));
  expect(typedSearchAttributes.get(searchAttributes.outcome)).toBe('succeeded');
});

test('an attribute registered with another type is a clear failure, and nothing is added', async () => {
  const namespace = 'conflicting';
  await env.connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  await env.connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: { EtlOutcome: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT },
  });

  const { code, stderr } = etl(['setup'], { ...cluster, TEMPORAL_NAMESPACE: namespace });

  expect(code).toBe(1);
  expect(stderr).toContain('search attribute EtlOutcome exists on namespace conflicting as Int, but the pipelines need Keyword');
  const { customAttributes } = await env.connection.operatorService.listSearchAttributes({ namespace });
  expect(Object.keys(customAttributes)).toEqual(['EtlOutcome']);
});
