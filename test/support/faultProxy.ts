import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { faultSchema, FaultScript, type Fault, type Refusal } from '../../src/local/emulator/faults';

/**
 * An HTTP proxy in front of moto that scripts faults like the emulator's: a request carried out by moto and then
 * answered 500 or with a dropped connection, or refused without reaching moto (a 503 SlowDown). It can also hold
 * a request, so a test can kill its caller while it is on its way or half answered.
 *
 * A target is the X-Amz-Target of a JSON request, the AWS Query action (`Publish`), or for S3 the operation:
 * `S3.ListObjectsV2`, `S3.GetObject`, `S3.HeadObject`, `S3.PutObject`, `S3.CopyObject`, `S3.DeleteObject`,
 * `S3.DeleteObjects` (anything else is `S3.<method>`).
 */
export interface FaultProxy {
  /** For the SDK clients' `endpoint`. */
  endpoint: string;
  /** Replaces the faults; each applies to the next `times` requests to its target (carried-out ones: that moto answered 2xx). */
  setFaults(faults: Fault[]): void;
  /** The faults not used up yet: a test checks that its faults were met. */
  unusedFaults(): Fault[];
  /**
   * Holds the next request to `target`: before it reaches moto, or with `midAnswer` once moto answered and half of
   * the answer's body was sent. A held request whose caller hangs up is dropped: it never reaches moto, or its
   * answer is never finished.
   */
  hold(target: string, options?: { midAnswer?: boolean }): HeldRequest;
  close(): Promise<void>;
}

export interface HeldRequest {
  /** Resolves once a request is held. */
  reached: Promise<void>;
  /** Lets the request go on. */
  release(): void;
}

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Hold {
  target: string;
  midAnswer: boolean;
  reached: () => void;
  released: Promise<void>;
  release: () => void;
}

export async function startFaultProxy(upstreamEndpoint: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamEndpoint);
  const faults = new FaultScript();
  let holds: Hold[] = [];
  const takeHold = (target: string) => {
    const hold = holds.find((candidate) => candidate.target === target);
    holds = holds.filter((candidate) => candidate !== hold);
    return hold;
  };

  const server = createServer((request, response) => {
    (async () => {
      const body = await readBody(request);
      const target = targetOf(request, body);
      const hold = takeHold(target);
      const refusal = faults.refusal(target);
      if (refusal) return send(request, response, errorAnswer(request, refusal));
      if (hold && !hold.midAnswer && !(await heldUntilReleased(hold, response))) return;
      const answer = await forward(upstream, request, body);
      const fault = answer.status < 300 ? faults.take(target) : undefined;
      if (fault === 'dropConnection') return response.destroy();
      const sent = fault === 'serverError' ? errorAnswer(request, { error: 'InternalFailure', status: 500 }, 'carried out') : answer;
      if (!hold?.midAnswer) return send(request, response, sent);
      const half = Math.floor(sent.body.length / 2);
      response.writeHead(sent.status, answerHeaders(request, sent)).write(sent.body.subarray(0, half));
      if (await heldUntilReleased(hold, response)) response.end(sent.body.subarray(half));
    })().catch((err: unknown) => {
      if (!response.headersSent) response.writeHead(502).end(`fault proxy: ${(err as Error).message}`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setFaults: (list) => faults.set(list.map((fault) => faultSchema.parse(fault))),
    unusedFaults: () => faults.unused(),
    hold: (target, { midAnswer = false } = {}) => {
      let reached!: () => void;
      let release!: () => void;
      const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ target, midAnswer, reached, released, release });
      return { reached: reachedPromise, release };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        holds.forEach((hold) => hold.release());
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** True once the hold is released, false when the caller hung up first. */
async function heldUntilReleased(hold: Hold, response: ServerResponse): Promise<boolean> {
  hold.reached();
  const hungUp = new Promise<false>((resolve) => response.once('close', () => resolve(false)));
  return Promise.race([hold.released.then(() => !response.destroyed), hungUp]);
}

function send(request: IncomingMessage, response: ServerResponse, answer: Upstream): void {
  response.writeHead(answer.status, answerHeaders(request, answer)).end(answer.body);
}

/** The body is sent whole, not chunked; a HEAD answer keeps the length of what a GET would send. */
function answerHeaders(request: IncomingMessage, { headers, body }: Upstream): IncomingHttpHeaders {
  const { 'transfer-encoding': _chunked, ...rest } = headers;
  return request.method === 'HEAD' && rest['content-length'] ? rest : { ...rest, 'content-length': String(body.length) };
}

function targetOf(request: IncomingMessage, body: Buffer): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target;
  const url = new URL(request.url ?? '/', 'http://proxy');
  if (url.pathname === '/' && request.method === 'POST') return new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
  return s3Operation(request, url);
}

/** S3 is addressed by path here: /bucket for the bucket, /bucket/key for an object. */
function s3Operation(request: IncomingMessage, url: URL): string {
  const onObject = url.pathname.split('/').filter(Boolean).length > 1;
  const query = url.searchParams;
  if (request.method === 'GET' && !onObject && query.get('list-type') === '2') return 'S3.ListObjectsV2';
  if (request.method === 'POST' && !onObject && query.has('delete')) return 'S3.DeleteObjects';
  if (onObject) {
    if (request.method === 'GET') return 'S3.GetObject';
    if (request.method === 'HEAD') return 'S3.HeadObject';
    if (request.method === 'DELETE') return 'S3.DeleteObject';
    if (request.method === 'PUT') return request.headers['x-amz-copy-source'] ? 'S3.CopyObject' : 'S3.PutObject';
  }
  return `S3.${request.method}`;
}

/** An error in the caller's protocol: JSON for X-Amz-Target requests, S3's REST-XML, or the Query protocol's XML. */
function errorAnswer(request: IncomingMessage, { error, status }: Refusal, how: 'carried out' | 'refused' = 'refused'): Upstream {
  const message =
    how === 'carried out' ? 'The request was carried out, then answered 500 by the test fault proxy.' : 'Refused by the test fault proxy; nothing was carried out.';
  const requestId = randomUUID();
  if (request.headers['x-amz-target']) {
    const json = JSON.stringify({ __type: error, message });
    return { status, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': error, 'x-amzn-requestid': requestId }, body: Buffer.from(json) };
  }
  const xml = targetOf(request, Buffer.alloc(0)).startsWith('S3.')
    ? `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${error}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`
    : `<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${error}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  // A HEAD answer has no body: the SDK reads the error from the status alone.
  return { status, headers: { 'content-type': 'text/xml', 'x-amz-request-id': requestId }, body: request.method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(xml) };
}

function forward(upstream: URL, request: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
      readBody(answer).then((answerBody) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: answerBody }), reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
