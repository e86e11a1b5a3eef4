import { CreateJobCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';
import { defaultGlueOutcome } from '../../src/local/emulator/scripts';
import { httpRequestText, rawRequest } from '../support/rawHttp';

/**
 * The control endpoints can reset the local stack's Glue and Redshift and script their faults: a web page the
 * user happens to visit must not reach them, and no request may make the emulator hold an unbounded body.
 */

const jobName = 'orders-transform';
let emulator: RunningEmulator;
let glue: GlueClient;
let control: EmulatorControl;
let host: string;

beforeAll(async () => {
  emulator = await startEmulator();
  host = `127.0.0.1:${emulator.port}`;
  glue = new GlueClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  control = new EmulatorControl(emulator.url);
});

afterAll(async () => {
  glue.destroy();
  await emulator.close();
});

/** A job with one run: what a reset would forget. */
async function createJobAndStartRun(): Promise<void> {
  await glue.send(new CreateJobCommand({ Name: jobName, Role: 'GlueJobRole', Command: { Name: 'glueetl', ScriptLocation: 's3://etl-bucket/job.py' } }));
  await glue.send(new StartJobRunCommand({ JobName: jobName }));
}

beforeEach(async () => {
  await control.reset();
  await createJobAndStartRun();
});

function controlRequest(method: string, path: string, headers: Record<string, string>, body = '') {
  return rawRequest(emulator.port, httpRequestText(method, path, { Host: host, Connection: 'close', ...headers }, body));
}

async function runsRecorded(): Promise<number> {
  return (await control.recorded()).glue.runs.length;
}

test.each([
  ['another site', () => ({ Origin: 'https://attacker.example', 'Sec-Fetch-Site': 'cross-site' })],
  ['another site that sends no Origin', () => ({ 'Sec-Fetch-Site': 'cross-site' })],
  ['a page on another local port, such as the Temporal UI', () => ({ Origin: 'http://localhost:8233', 'Sec-Fetch-Site': 'same-site' })],
  ['a page whose name was rebound to this address', () => ({ Origin: `http://attacker.example:${emulator.port}` })],
  ['a sandboxed page', () => ({ Origin: 'null' })],
])('a request from %s is refused with 403 and changes nothing', async (_, pageHeaders) => {
  const headers: Record<string, string> = pageHeaders();
  const reset = await controlRequest('POST', '/_emulator/reset', headers);
  const recorded = await controlRequest('GET', '/_emulator/recorded', headers);

  for (const answer of [reset, recorded]) {
    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.json().error).toMatch(/^the control endpoints refuse requests from web pages \(Origin .+, Sec-Fetch-Site .+\): call them from a test or a script/);
  }
  expect(await runsRecorded()).toBe(1);
});

test("a request from the emulator's own origin, or from a script, is served", async () => {
  const ownOrigin = await controlRequest('POST', '/_emulator/reset', { Origin: `http://${host}`, 'Sec-Fetch-Site': 'same-origin' });
  expect(ownOrigin.status).toBe(204);
  expect(await runsRecorded()).toBe(0);

  await createJobAndStartRun();
  const script = await controlRequest('POST', '/_emulator/reset', {});
  expect(script.status).toBe(204);
  expect(await runsRecorded()).toBe(0);
});

test('a control body over the bound is a 413 with a JSON error, and nothing is scripted', async () => {
  const limit = 8 * 1024 * 1024;
  const outcomes = JSON.stringify({ outcomes: [{ pollsUntilDone: 1, finalState: 'FAILED', errorMessage: 'x'.repeat(limit) }] });
  await control.reset();

  const answer = await controlRequest('PUT', `/_emulator/glue/jobs/${jobName}/outcomes`, { 'Content-Type': 'application/json' }, outcomes);

  expect(answer.status).toBe(413);
  expect(answer.json()).toEqual({ error: `the request body exceeds ${limit} bytes` });
  await createJobAndStartRun();
  expect((await control.recorded()).glue.runs.map((run) => run.outcome)).toEqual([defaultGlueOutcome]);
});

test('a body that is not JSON is a 400 saying so', async () => {
  const answer = await controlRequest('PUT', '/_emulator/faults', { 'Content-Type': 'application/json' }, '{"faults": [');

  expect(answer.status).toBe(400);
  expect(answer.json().error).toMatch(/^the request body is not JSON \(.+\): send the JSON object the endpoint takes$/);
});

test('a request target that is no URL is a 400, and the emulator keeps serving', async () => {
  const answer = await rawRequest(emulator.port, `POST http://[ HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);

  expect(answer.status).toBe(400);
  expect(answer.json()).toEqual({ error: 'the request target "http://[" is not a URL path' });
  expect(await runsRecorded()).toBe(1);
});
