import { TestWorkflowEnvironment } from '@temporalio/testing';
import { indexedSearchAttributes } from '../../src/client/operations/searchAttributeSetup';
import { venvBinary } from '../../src/local/paths';
import { allSearchAttributes } from '../../src/shared/searchAttributes';

/** The time-skipping test server installed by scripts/setup, for workflows that sleep, poll or retry. */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: venvBinary('temporal-test-server') } },
  });
  // The workflow upserts the project's search attributes; this server only knows them once told, and it
  // cannot list what it knows, so they are added as `etl setup` would add them to a fresh namespace.
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes: indexedSearchAttributes() });
  return env;
}

/**
 * The Temporal dev server installed by scripts/setup, on loopback, with the project's search attributes;
 * with `uiPort`, the Temporal Web UI too. With `port` and `dbFilename`, a server started again later is the
 * same server to its clients, with the same history. `dynamicConfig` sets server settings, such as
 * `limit.historyCount.suggestContinueAsNew`.
 */
export function createDevServerEnv(
  options: { uiPort?: number; port?: number; dbFilename?: string; dynamicConfig?: Record<string, number> } = {},
): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: venvBinary('temporal') },
      ip: '127.0.0.1',
      searchAttributes: allSearchAttributes,
      ...(options.port && { port: options.port }),
      ...(options.dbFilename && { dbFilename: options.dbFilename }),
      ...(options.uiPort && { ui: true, uiPort: options.uiPort }),
      extraArgs: Object.entries(options.dynamicConfig ?? {}).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${value}`]),
    },
  });
}
