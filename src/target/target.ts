import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { ConnectionOptions } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { PipelineConfig } from '../config/schema';
import { freePort, isPortFree } from '../local/processes';
import { readStackState, runningStack, stoppedProcesses } from '../local/stackState';
import type { AwsSettings } from '../aws/awsClients';

/** Which Temporal and which AWS the commands and the worker talk to. */
export interface Target {
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
  /** What the pipelines' schedules on this target take instead of their config. */
  scheduleOverrides: ScheduleOverrides;
  /** Where a worker serves its metrics when asked for `requested` (host:port). */
  metricsAddress(requested: string): Promise<string>;
}

/** Where a target's schedules differ from the config: the local stack replaces the catch-up window (see README). */
export interface ScheduleOverrides {
  catchupWindow?: Duration;
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
      connection: connectionOptions,
      namespace: namespace ?? 'default',
      uiUrl: process.env.TEMPORAL_UI_URL,
      aws: { region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION },
      prepare: async () => {},
      scheduleOverrides: {},
      metricsAddress: async (requested) => requested,
    };
  }
  const stack = runningStack();
  if (!stack) {
    const recorded = readStackState();
    if (recorded?.ready) {
      const stopped = stoppedProcesses(recorded).map((p) => p.name);
      throw new TargetError(`part of the local stack has stopped (${stopped.join(', ')}): \`etl stack up\` starts it again`);
    }
    throw new TargetError('the local stack is not running: start it with `etl stack up`, or set TEMPORAL_ADDRESS to use a Temporal cluster');
  }
  return {
    connection: { address: stack.temporal.address },
    namespace: stack.temporal.namespace,
    uiUrl: stack.temporal.uiUrl,
    aws: stack.aws,
    prepare: async (pipelines) => {
      // Loaded here: the AWS SDK clients are needed only by the commands that start runs on the local stack.
      const { provisionLocalPipelines } = await import('../local/provision');
      await provisionLocalPipelines(stack, pipelines);
    },
    /**
     * The local stack is down whenever its user's machine is, and its history (schedules included) survives
     * restarts. Catching up there would start, at every `etl stack up`, yesterday's run for files nobody landed;
     * so on the local stack only a run due in the last minute is caught up. Clusters use the configured window.
     */
    scheduleOverrides: { catchupWindow: '1m' },
    metricsAddress: besideTheStacksWorker,
  };
}

/**
 * A second worker on the local stack finds the metrics port taken by the stack's own worker: it serves its
 * metrics on a free port of the same host instead, rather than refusing to serve runs.
 */
async function besideTheStacksWorker(address: string): Promise<string> {
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator);
  if (await isPortFree(Number(address.slice(separator + 1)), host)) return address;
  return `${host}:${await freePort(host)}`;
}
