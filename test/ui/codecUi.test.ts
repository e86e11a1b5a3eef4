import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Browser } from 'playwright-core';
import { codecServerToken, dataConverterFromEnv } from '../../src/codec/dataConverter';
import { venvBinary } from '../../src/local/paths';
import { freePort } from '../../src/local/processes';
import { launchChromium } from '../support/browser';
import { startEtl } from '../support/etl';
import { echo, failWithMessage, type FailingActivities } from '../codec/echoWorkflow';

/**
 * The Temporal UI given the codec endpoint, token included, as `etl stack up` gives it: its pages call the codec
 * server from the browser (CORS, the endpoint plus /decode) and show the payloads decrypted.
 */

const keyEnv = { ETL_PAYLOAD_KEY: randomBytes(32).toString('base64'), ETL_PAYLOAD_KEY_ID: 'ui-test' };
const taskQueue = 'codec-ui-test';
const uiTimeout = { timeout: 30_000 };

let env: TestWorkflowEnvironment;
let codecServer: ChildProcess;
let client: Client;
let worker: Worker;
let workerRunning: Promise<void>;
let browser: Browser;
let uiUrl: string;

beforeAll(async () => {
  const [uiPort, codecPort] = [await freePort(), await freePort()];
  uiUrl = `http://127.0.0.1:${uiPort}`;
  const codecEndpoint = `http://127.0.0.1:${codecPort}/${codecServerToken(keyEnv)}`;
  [env, codecServer, browser] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: venvBinary('temporal') },
        ip: '127.0.0.1',
        ui: true,
        uiPort,
        extraArgs: ['--ui-codec-endpoint', codecEndpoint],
      },
    }),
    startEtl(['codec-server', '--port', String(codecPort), '--cors-origin', uiUrl], keyEnv, /listening/),
    launchChromium(),
  ]);
  const dataConverter = dataConverterFromEnv(keyEnv);
  client = new Client({ connection: env.connection, dataConverter });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../codec/echoWorkflow'),
    activities: {
      failWith: async (message: string) => {
        throw new Error(message);
      },
    } satisfies FailingActivities,
    dataConverter,
  });
  workerRunning = worker.run();
});

afterAll(async () => {
  await browser?.close();
  codecServer?.kill();
  worker?.shutdown();
  await workerRunning;
  await env?.teardown();
});

test("a run's encrypted input and failure message show decrypted in the UI", async () => {
  const inputMarker = `input-${randomBytes(6).toString('hex')}`;
  const failureMarker = `failure-${randomBytes(6).toString('hex')}`;
  const succeeded = `codec-ui-${Math.random()}`;
  const failed = `codec-ui-${Math.random()}`;
  await client.workflow.execute(echo, { taskQueue, workflowId: succeeded, args: [{ bucket: inputMarker }] });
  await client.workflow.execute(failWithMessage, { taskQueue, workflowId: failed, args: [failureMarker] }).catch(() => undefined);

  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${uiUrl}/namespaces/default/workflows/${succeeded}`);
  await page.getByText(inputMarker).first().waitFor(uiTimeout);

  await page.goto(`${uiUrl}/namespaces/default/workflows/${failed}`);
  await page.getByText(failureMarker).first().waitFor(uiTimeout);
});
