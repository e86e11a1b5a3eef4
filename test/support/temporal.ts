import { temporal } from '@temporalio/proto';
import { SearchAttributeType } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { venvBinary } from '../../src/local/paths';
import { allSearchAttributes } from '../../src/shared/searchAttributes';

const { IndexedValueType } = temporal.api.enums.v1;
const indexedValueTypes: Partial<Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType>> = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/** The time-skipping test server installed by scripts/setup, for workflows that sleep, poll or retry. */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: venvBinary('temporal-test-server') } },
  });
  // The workflow upserts the project's search attributes; this server only knows them once told.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(allSearchAttributes.map((key) => [key.name, indexedValueTypes[key.type]!])),
  });
  return env;
}

/** The Temporal dev server installed by scripts/setup, on loopback, with the project's search attributes. */
export function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: venvBinary('temporal') },
      ip: '127.0.0.1',
      searchAttributes: allSearchAttributes,
    },
  });
}
