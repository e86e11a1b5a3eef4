import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PayloadCodec } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '@temporalio/common/lib/proto-utils';

export interface CodecServerOptions {
  codec: PayloadCodec;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The Temporal UI's origins (how its address is typed matters): the browser calls this server from UI pages. */
  corsOrigins: string[];
}

export interface RunningCodecServer {
  url: string;
  close(): Promise<void>;
}

/** Request bodies are batches of payloads; Temporal caps one payload at a few MB, this leaves room for a batch. */
const maxBodyBytes = 64 * 1024 * 1024;

/**
 * Temporal's remote codec protocol: POST /encode and /decode take and return `{ "payloads": [...] }` in proto
 * JSON (metadata values and data base64), so the Web UI and `temporal` CLI can show decrypted payloads.
 */
export async function startCodecServer({ codec, host, port, corsOrigins }: CodecServerOptions): Promise<RunningCodecServer> {
  const operations: Record<string, (payloads: JSONPayload[]) => Promise<JSONPayload[]>> = {
    '/encode': async (payloads) => (await codec.encode(payloads.map(JSONToPayload))).map(payloadToJSON),
    '/decode': async (payloads) => (await codec.decode(payloads.map(JSONToPayload))).map(payloadToJSON),
  };

  const server = createServer((request, response) => {
    const origin = request.headers.origin;
    if (origin && corsOrigins.includes(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    response.setHeader('Vary', 'Origin');
    const operation = operations[new URL(request.url ?? '/', 'http://codec').pathname];
    if (!operation) return reply(response, 404, { message: 'not found: use POST /encode or POST /decode' });
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      response.writeHead(204).end();
      return;
    }
    if (request.method !== 'POST') return reply(response, 405, { message: `${request.method} is not supported: use POST` });
    handle(request, operation).then(
      (body) => reply(response, 200, body),
      (err: unknown) => reply(response, 400, { message: err instanceof Error ? err.message : String(err) }),
    );
  });

  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${boundPort}`,
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

async function handle(request: IncomingMessage, operation: (payloads: JSONPayload[]) => Promise<JSONPayload[]>) {
  const body = JSON.parse(await readBody(request)) as { payloads?: unknown };
  if (!Array.isArray(body.payloads)) throw new Error('the request body must be {"payloads": [...]}');
  return { payloads: await operation(body.payloads as JSONPayload[]) };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new Error(`the request body exceeds ${maxBodyBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
