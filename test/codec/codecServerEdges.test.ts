import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '../../src/codec/jsonPayload';
import { AesGcmCodec } from '../../src/codec/aesGcmCodec';
import { exposureWarning, startCodecServer, type RunningCodecServer } from '../../src/codec/codecServer';
import { httpRequestText, rawRequest } from '../support/rawHttp';

/** The codec server answers whatever reaches it with a status and a JSON message, and keeps serving. */

const token = randomBytes(32).toString('base64url');
const uiOrigin = 'http://127.0.0.1:8233';
const maxBodyBytes = 4096;
let server: RunningCodecServer;
let host: string;

beforeAll(async () => {
  const codec = new AesGcmCodec(randomBytes(32), 'edge-test');
  server = await startCodecServer({ codec, host: '127.0.0.1', port: 0, corsOrigins: [uiOrigin], token, maxBodyBytes });
  host = `127.0.0.1:${server.port}`;
});

afterAll(() => server?.close());

const plainPayloads = JSON.stringify({ payloads: [payloadToJSON(defaultPayloadConverter.toPayload({ hello: 'world' }))] });

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return rawRequest(server.port, httpRequestText('POST', path, { Host: host, 'Content-Type': 'application/json', ...headers }, body));
}

/** What the UI would do next: encode a payload through the endpoint. */
async function stillServes(): Promise<void> {
  const answer = await post(`/${token}/encode`, plainPayloads);
  expect(answer.status).toBe(200);
  expect(encodingsIn(answer.body)).toEqual(['binary/encrypted']);
}

function encodingsIn(body: string): string[] {
  const { payloads } = JSON.parse(body) as { payloads: JSONPayload[] };
  return payloads.map((payload) => Buffer.from(JSONToPayload(payload).metadata?.encoding ?? []).toString());
}

test.each([
  ['an absolute target that is no URL', 400, `POST http://[ HTTP/1.1\r\nHost: HOST\r\nContent-Length: 0\r\n\r\n`, /request target "http:\/\/\[" is not a URL path/],
  ['a method that is no HTTP method', 400, `P{ST /x HTTP/1.1\r\nHost: HOST\r\n\r\n`, /not a valid HTTP request \(HPE_INVALID_METHOD\)/],
  ['a header line without a name', 400, `POST /x HTTP/1.1\r\nHost: HOST\r\nno colon here\r\n\r\n`, /not a valid HTTP request/],
  ['bytes that are not HTTP', 400, '\u0000\u0001\u0002garbage\r\n\r\n', /not a valid HTTP request/],
  ['headers too large', 431, `GET /x HTTP/1.1\r\nHost: HOST\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, /HPE_HEADER_OVERFLOW/],
])('%s is answered %d with a JSON message, and the server keeps serving', async (_, status, request, message) => {
  const answer = await rawRequest(server.port, request.replace('HOST', host));

  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/json');
  expect(answer.json().message).toMatch(message);
  await stillServes();
});

test('a body that is not JSON, or not a batch of payloads, is a 400 that says what is expected', async () => {
  const notJson = await post(`/${token}/decode`, '{"payloads": [');
  expect(notJson.status).toBe(400);
  expect(notJson.json().message).toMatch(/^the request body is not JSON \(.+\): send \{"payloads": \[\.\.\.\]\}$/);

  const wrongShape = await post(`/${token}/decode`, JSON.stringify({ payloads: [{ data: 42 }] }));
  expect(wrongShape.status).toBe(400);
  expect(wrongShape.json().message).toMatch(/^the request body must be \{"payloads": \[/);
  expect(wrongShape.json().message).toMatch(/payloads\[0\]\.data/);

  const noPayloads = await post(`/${token}/encode`, '[]');
  expect(noPayloads.status).toBe(400);
  await stillServes();
});

test('another method is a 405 naming the one to use', async () => {
  const answer = await rawRequest(server.port, httpRequestText('GET', `/${token}/decode`, { Host: host }));

  expect(answer.status).toBe(405);
  expect(answer.headers.allow).toBe('POST, OPTIONS');
  expect(answer.json()).toEqual({ message: 'GET is not supported: use POST' });
});

test('a body over the bound is a 413, whether its length is declared or it is streamed', async () => {
  const declared = await post(`/${token}/encode`, 'x'.repeat(maxBodyBytes + 1));
  expect(declared.status).toBe(413);
  expect(declared.json()).toEqual({ message: `the request body exceeds ${maxBodyBytes} bytes: send fewer payloads per request` });

  const chunk = 'y'.repeat(maxBodyBytes);
  const streamed = await rawRequest(
    server.port,
    `POST /${token}/encode HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\n` +
      `${chunk.length.toString(16)}\r\n${chunk}\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
  );
  expect(streamed.status).toBe(413);
  expect(streamed.headers.connection).toBe('close');

  const withinBound = await post(`/${token}/encode`, plainPayloads);
  expect(withinBound.status).toBe(200);
});

test('only the address it listens on is accepted as Host, so a rebound name cannot reach it', async () => {
  const rebound = await post(`/${token}/encode`, plainPayloads, { Host: `attacker.example:${server.port}` });
  expect(rebound.status).toBe(403);
  expect(rebound.json().message).toBe(
    `Host "attacker.example:${server.port}" is not this codec server's address: call it as localhost:${server.port} or 127.0.0.1:${server.port} or [::1]:${server.port}`,
  );
  expect(Object.keys(rebound.json())).toEqual(['message']);

  const otherPort = await post(`/${token}/encode`, plainPayloads, { Host: `127.0.0.1:${server.port + 1}` });
  expect(otherPort.status).toBe(403);

  const byName = await post(`/${token}/encode`, plainPayloads, { Host: `localhost:${server.port}` });
  expect(byName.status).toBe(200);
});

test('without the token in the path nothing is encoded or decoded', async () => {
  for (const path of ['/encode', '/decode', `/${token.slice(1)}/decode`, `/${token}x/decode`, `/x/${token}/decode`]) {
    const answer = await post(path, plainPayloads, { Origin: uiOrigin });
    expect([path, answer.status]).toEqual([path, path.startsWith('/x/') ? 404 : 401]);
    expect(Object.keys(answer.json())).toEqual(['message']);
    expect(answer.body).not.toContain(token);
  }
  const refused = await post('/decode', plainPayloads, { Origin: uiOrigin });
  expect(refused.json().message).toBe(
    "the codec endpoint's token is missing or wrong: use the endpoint the codec server printed at start (http://host:port/<token>)",
  );
  // The UI's page can read why it was refused.
  expect(refused.headers['access-control-allow-origin']).toBe(uiOrigin);
});

test("the UI's browser calls work as it makes them: the endpoint it was given plus /decode, after a preflight", async () => {
  expect(server.endpoint).toBe(`http://${host}/${token}`);
  const url = `${server.endpoint}/decode`;

  const preflight = await fetch(url, {
    method: 'OPTIONS',
    headers: { Origin: uiOrigin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(uiOrigin);

  const encoded = await fetch(`${server.endpoint}/encode`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: uiOrigin },
    body: plainPayloads,
  });
  const decoded = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: uiOrigin },
    body: await encoded.text(),
  });
  expect(decoded.status).toBe(200);
  expect(decoded.headers.get('access-control-allow-origin')).toBe(uiOrigin);
  expect(await decoded.json()).toEqual(JSON.parse(plainPayloads));
});

test('listening beyond loopback comes with a warning; loopback does not', () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
    expect(exposureWarning(host)).toBe(
      `warning: the codec server listens on ${host}, beyond loopback: anyone who can reach it with its endpoint's token can decrypt every payload. ` +
        'Prefer --host 127.0.0.1 on the machine whose browser uses it; otherwise put it behind TLS and access control.',
    );
  }
  for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) expect(exposureWarning(host)).toBeUndefined();
});
