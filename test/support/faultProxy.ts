import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { faultSchema, FaultScript, type Fault } from '../../src/local/emulator/faults';

/**
 * An HTTP proxy in front of moto that can make a request look failed after moto carried it out, like the
 * emulator's faults: moto publishes the message, then the caller gets a 500 or a dropped connection.
 * A fault's `target` is the AWS Query action (`Publish`) or the X-Amz-Target of a JSON request.
 */
export interface FaultProxy {
  /** For the SDK clients' `endpoint`. */
  endpoint: string;
  /** Replaces the faults; each one applies to the next `times` requests to its target that moto answered 2xx. */
  setFaults(faults: Fault[]): void;
  close(): Promise<void>;
}

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export async function startFaultProxy(upstreamEndpoint: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamEndpoint);
  const faults = new FaultScript();
  const server = createServer((request, response) => {
    (async () => {
      const body = await readBody(request);
      const answer = await forward(upstream, request, body);
      const fault = answer.status < 300 ? faults.take(targetOf(request, body)) : undefined;
      if (fault === 'dropConnection') return response.destroy();
      const { status, headers, body: sent } = fault === 'serverError' ? serverError() : answer;
      delete headers['transfer-encoding'];
      response.writeHead(status, { ...headers, 'content-length': String(sent.length) }).end(sent);
    })().catch((err: unknown) => response.writeHead(502).end(`fault proxy: ${(err as Error).message}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setFaults: (list) => faults.set(list.map((fault) => faultSchema.parse(fault))),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function targetOf(request: IncomingMessage, body: Buffer): string {
  const target = request.headers['x-amz-target'];
  return typeof target === 'string' ? target : (new URLSearchParams(body.toString('utf8')).get('Action') ?? '');
}

function forward(upstream: URL, request: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => readBody(answer).then((answerBody) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: answerBody }), reject),
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The AWS Query protocol's error shape, which the SNS client reads as InternalFailure. */
function serverError(): Upstream {
  const xml =
    '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code>' +
    '<Message>The request was carried out, then answered 500 by the test fault proxy.</Message></Error>' +
    `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  return { status: 500, headers: { 'content-type': 'text/xml' }, body: Buffer.from(xml) };
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
