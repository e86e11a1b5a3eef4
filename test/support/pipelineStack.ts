import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { PipelineConfig } from '../../src/config/schema';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';
import { startMoto, type MotoServer } from '../../src/local/moto';
import { freePort } from '../../src/local/processes';
import { provisionPipelines } from '../../src/local/provision';
import { createAwsClients, type AwsClients, type AwsSettings } from '../../src/aws/awsClients';
import { createPipelineWorker } from '../../src/worker/worker';
import { createDevServerEnv } from './temporal';

/** Everything a real pipeline run needs, on loopback: dev server, moto, the Glue/Redshift emulator and a worker. */
export interface PipelineStack {
  env: TestWorkflowEnvironment;
  control: EmulatorControl;
  aws: AwsClients;
  /** Where those clients point: what a command run against this stack needs. */
  awsSettings: AwsSettings;
  /** The SQS queue subscribed to the pipeline's notification topics. */
  queueUrl: string;
  /** The Temporal Web UI that links point at; it is served only when started `withUi`. */
  uiUrl: string;
  stop(): Promise<void>;
}

/** `temporalDynamicConfig`: the dev server's settings, as createDevServerEnv takes them. */
export async function startPipelineStack(
  pipeline: PipelineConfig,
  options: { withUi?: boolean; temporalDynamicConfig?: Record<string, number> } = {},
): Promise<PipelineStack> {
  // Without a UI of its own, links still need a base: the local stack's UI address.
  const uiPort = options.withUi ? await freePort() : undefined;
  const uiUrl = `http://127.0.0.1:${uiPort ?? 8233}`;
  const started: { env?: TestWorkflowEnvironment; moto?: MotoServer; emulator?: RunningEmulator; aws?: AwsClients; worker?: Worker } = {};
  let workerRunning: Promise<void> | undefined;

  const stop = async () => {
    started.worker?.shutdown();
    await workerRunning;
    Object.values(started.aws ?? {}).forEach((client) => client.destroy());
    await Promise.all([started.env?.teardown(), started.moto?.stop(), started.emulator?.close()]);
  };

  try {
    const region = 'us-east-1';
    const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
    // allSettled: when one server fails to start, the others have started and are stopped too.
    const servers = await Promise.allSettled([
      createDevServerEnv({ uiPort, dynamicConfig: options.temporalDynamicConfig }).then((env) => (started.env = env)),
      // The emulator's Glue job scripts work against this moto's S3.
      startMoto().then(async (moto) => {
        started.moto = moto;
        started.emulator = await startEmulator({ s3: { endpoint: moto.endpoint, region, credentials } });
      }),
    ]);
    for (const server of servers) if (server.status === 'rejected') throw server.reason;
    const { env, moto, emulator } = started as Required<typeof started>;
    const settings: AwsSettings = {
      region,
      credentials,
      endpoints: { s3: moto.endpoint, sns: moto.endpoint, sqs: moto.endpoint, glue: emulator.url, logs: emulator.url, redshiftData: emulator.url },
    };
    const aws = (started.aws = createAwsClients(settings));
    const { queueUrl } = await provisionPipelines(aws, [pipeline]);
    const worker = (started.worker = await createPipelineWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      aws: settings,
      temporalUiUrl: uiUrl,
      taskQueue: pipeline.taskQueue,
    }));
    workerRunning = worker.run();
    return { env, control: new EmulatorControl(emulator.url), aws, awsSettings: settings, queueUrl, uiUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
