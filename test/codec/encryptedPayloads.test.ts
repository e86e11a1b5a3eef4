import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '../../src/codec/jsonPayload';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { codecServerToken, dataConverterFromEnv } from '../../src/codec/dataConverter';
import { connectClient } from '../../src/client/operations/connect';
import { failureMessage } from '../../src/client/errors';
import { freePort } from '../../src/local/processes';
import type { PipelineRunInput } from '../../src/shared/pipelineRun';
import { runFailure } from '../../src/shared/runFailure';
import { startEtl } from '../support/etl';
import { testPipeline } from '../support/pipelines';
import { createDevServerEnv } from '../support/temporal';
import { echo, failWithMessage, type FailingActivities } from './echoWorkflow';

/** Payloads written through the `etl` client and worker are ciphertext in Temporal, readable through the codec server. */

const keyEnv = { ETL_PAYLOAD_KEY: randomBytes(32).toString('base64'), ETL_PAYLOAD_KEY_ID: 'test-key' };
const uiOrigin = 'http://127.0.0.1:8233';
const input: PipelineRunInput = { pipeline: testPipeline(), date: '2024-01-15', trigger: 'manual' };
const taskQueue = 'codec-test';
const text = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString();

let env: TestWorkflowEnvironment;
let encryptingClient: Client;
let codecServer: ChildProcess;
/** The codec endpoint, its token included: what the UI is given. */
let codecEndpoint: string;
let codecServerAddress: string;
let worker: Worker;
let workerRunning: Promise<void>;

beforeAll(async () => {
  Object.assign(process.env, keyEnv); // the client and worker read the key as `etl` does
  const port = await freePort();
  codecServerAddress = `http://127.0.0.1:${port}`;
  codecEndpoint = `${codecServerAddress}/${codecServerToken(keyEnv)}`;
  [env, codecServer] = await Promise.all([createDevServerEnv(), startEtl(['codec-server', '--port', String(port), '--cors-origin', uiOrigin], keyEnv, /listening/)]);
  encryptingClient = await connectClient({ connection: { address: env.address }, namespace: 'default' });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./echoWorkflow'),
    activities: {
      failWith: async (message: string) => {
        throw new Error(message);
      },
    } satisfies FailingActivities,
    dataConverter: dataConverterFromEnv(),
  });
  workerRunning = worker.run();
});

afterAll(async () => {
  for (const name of Object.keys(keyEnv)) delete process.env[name];
  codecServer?.kill();
  worker?.shutdown();
  await workerRunning;
  await encryptingClient?.connection.close();
  await env?.teardown();
});

/** Runs the echo workflow with a pipeline's run input through the encrypting client and worker. */
async function runEcho(): Promise<{ workflowId: string; result: PipelineRunInput }> {
  const workflowId = `codec-${Math.random()}`;
  const result = await encryptingClient.workflow.execute(echo<PipelineRunInput>, { taskQueue, workflowId, args: [input] });
  return { workflowId, result };
}

async function storedInput(workflowId: string): Promise<Payload> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
}

async function codecRequest(path: string, payloads: JSONPayload[], endpoint = codecEndpoint) {
  return fetch(`${endpoint}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: uiOrigin },
    body: JSON.stringify({ payloads }),
  });
}

test('the client and worker with the key run the workflow as usual', async () => {
  const { result } = await runEcho();
  expect(result).toEqual(input);
});

test('the input stored in Temporal is ciphertext, and a client without the key cannot read the result', async () => {
  const { workflowId } = await runEcho();

  const payload = await storedInput(workflowId);
  expect(text(payload.metadata?.encoding)).toBe('binary/encrypted');
  expect(text(payload.metadata?.['encryption-key-id'])).toBe('test-key');
  expect(text(payload.data)).not.toContain(input.pipeline.s3.bucket);
  expect(text(payload.data)).not.toContain(input.date);

  const withoutKey = await env.client.workflow
    .getHandle(workflowId)
    .result()
    .catch((err: unknown) => err);
  expect(failureMessage(withoutKey)).toBe("the run's payloads are encrypted: set ETL_PAYLOAD_KEY (and ETL_PAYLOAD_KEY_ID) to the key the worker uses");
});

test('the codec server decodes stored payloads to the plaintext JSON, for the UI’s origin', async () => {
  const { workflowId } = await runEcho();

  const response = await codecRequest('/decode', [payloadToJSON(await storedInput(workflowId))]);

  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBe(uiOrigin);
  const { payloads } = (await response.json()) as { payloads: JSONPayload[] };
  const decoded = JSONToPayload(payloads[0]);
  expect(text(decoded.metadata?.encoding)).toBe('json/plain');
  expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(input);
});

test('the codec server encodes too, and answers the CORS preflight of the UI’s origin only', async () => {
  const plain = payloadToJSON(defaultPayloadConverter.toPayload({ hello: 'world' }));
  const encoded = (await (await codecRequest('/encode', [plain])).json()) as { payloads: JSONPayload[] };
  expect(text(JSONToPayload(encoded.payloads[0]).metadata?.encoding)).toBe('binary/encrypted');
  const decoded = (await (await codecRequest('/decode', encoded.payloads)).json()) as { payloads: JSONPayload[] };
  expect(decoded.payloads).toEqual([plain]);

  const preflight = await fetch(`${codecEndpoint}/decode`, {
    method: 'OPTIONS',
    headers: { Origin: uiOrigin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(uiOrigin);
  expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);

  const foreign = await fetch(`${codecEndpoint}/decode`, { method: 'OPTIONS', headers: { Origin: 'http://elsewhere.example' } });
  expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

  expect((await codecRequest('/anything-else', [])).status).toBe(404);
});

test('a payload the codec server cannot decrypt is a clear error, not garbage', async () => {
  const { workflowId } = await runEcho();
  const stored = payloadToJSON(await storedInput(workflowId));
  const tampered = { ...stored, data: Buffer.from(Buffer.from(stored.data!, 'base64').map((byte, i) => (i === 20 ? byte ^ 1 : byte))).toString('base64') };

  const response = await codecRequest('/decode', [tampered]);

  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({
    message: 'cannot decrypt a payload with key id "test-key": ETL_PAYLOAD_KEY is not the key it was written with, or the payload was altered',
  });
});

test('the codec server needs the token in its endpoint: the server address alone decodes nothing', async () => {
  const { workflowId } = await runEcho();

  const response = await codecRequest('/decode', [payloadToJSON(await storedInput(workflowId))], codecServerAddress);

  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({
    message: "the codec endpoint's token is missing or wrong: use the endpoint the codec server printed at start (http://host:port/<token>)",
  });
});

test("a failure's message and stack trace are stored encrypted, and the client with the key reads them as thrown", async () => {
  const marker = `marker-${randomBytes(8).toString('hex')}`;
  const workflowId = `codec-failure-${Math.random()}`;

  const failure = await encryptingClient.workflow
    .execute(failWithMessage, { taskQueue, workflowId, args: [`row 7 has ${marker} where a date belongs`] })
    .catch((err: unknown) => err);

  expect(runFailure(failure)).toEqual({ error: `the step failed: row 7 has ${marker} where a date belongs` });
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const stored = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  expect(stored.includes(workflowId)).toBe(true); // the search reads plain text where there is some
  expect(stored.includes('Encoded failure')).toBe(true);
  expect(stored.includes(marker)).toBe(false);
  expect(stored.includes('failWith')).toBe(true); // the activity type stays readable, only its error is encrypted
  expect(stored.includes('    at ')).toBe(false); // no line of a stack trace in plain text
});
