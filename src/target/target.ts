import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { ConnectionOptions } from '@temporalio/client';
import type { PipelineConfig } from '../config/schema';
import { readStackState, runningStack, stoppedProcesses } from '../local/stackState';
import type { AwsSettings } from '../worker/awsClients';

/** Which Temporal and which AWS the commands and the worker talk to. */
export interface Target {
  /** True for the embedded local stack. */
  local: boolean;
  connection: ConnectionOptions;
  namespace: string;
  /** Base address of the Temporal UI, for deep links; unknown for a remote cluster unless TEMPORAL_UI_URL is set. */
  uiUrl?: string;
  aws: AwsSettings;
  /**
   * Makes sure what the pipelines' runs need exists, before a command starts one. On the local stack that is
   * their bucket, topics, Glue job, table and views on the emulated AWS (safe to repeat); a Temporal cluster's
   * AWS is deployed by its owners, so there it does nothing.
   */
  prepare(pipelines: PipelineConfig[]): Promise<void>;
}

export class TargetError extends Error {}

/**
 * A Temporal address from the environment or a profile (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TLS settings, TEMPORAL_PROFILE; see @temporalio/envconfig) means a real cluster
 * and real AWS. Without one (or with `localStack`), the local stack started by `etl stack up`.
 */
export function resolveTarget(options: { localStack?: boolean } = {}): Target {
  const { connectionOptions, namespace } = loadClientConnectConfig();
  if (connectionOptions.address && !options.localStack) {
    return {
      local: false,
      connection: connectionOptions,
      namespace: namespace ?? 'default',
      uiUrl: process.env.TEMPORAL_UI_URL,
      aws: { region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION },
      prepare: async () => {},
    };
  }
  const stack = runningStack();
  if (!stack) {
    const recorded = readStackState();
    if (recorded?.ready) {
      const stopped = stoppedProcesses(recorded).map((p) => p.name);
      throw new TargetError(`part of the local stack has stopped (${stopped.join(', ')}): \`etl stack up\` starts it again`);
    }
    throw new TargetError(
      'the local stack is not running: start it with `etl stack up`, or set TEMPORAL_ADDRESS to use a Temporal cluster',
    );
  }
  return {
    local: true,
    connection: { address: stack.temporal.address },
    namespace: stack.temporal.namespace,
    uiUrl: stack.temporal.uiUrl,
    aws: stack.aws,
    prepare: async (pipelines) => {
      // Loaded here: the AWS SDK clients are needed only by the commands that start runs on the local stack.
      const { provisionLocalPipelines } = await import('../local/provision');
      await provisionLocalPipelines(stack, pipelines);
    },
  };
}
