import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import type { PayloadCodec } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from './jsonPayload';
import { z } from 'zod';
import { readRequestBody, RequestBodyTooLarge } from '../shared/requestBody';
import { PayloadDecryptionError } from './aesGcmCodec';

export interface CodecServerOptions {
  codec: PayloadCodec;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The Temporal UI's origins (how its address is typed matters): the browser calls this server from UI pages. */
  corsOrigins: string[];
  /** The first segment of every request's path, so that only holders of the endpoint can decrypt (see codecServerToken). */
  token: string;
  /** Larger request bodies are answered 413. */
  maxBodyBytes?: number;
}

export interface RunningCodecServer {
  port: number;
  /** http://host:port/<token>: what the Temporal UI (`--ui-codec-endpoint`) and CLI (`--codec-endpoint`) are given. */
  endpoint: string;
  close(): Promise<void>;
}

/** Request bodies are batches of payloads; Temporal caps one payload at a few MB, this leaves room for a batch. */
const defaultMaxBodyBytes = 64 * 1024 * 1024;

const codecRequestSchema = z.object({
  payloads: z.array(z.looseObject({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })),
});

/** A request the server refuses, answered with `status` and `{ "message": ... }`. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Temporal's remote codec protocol: POST <endpoint>/encode and <endpoint>/decode take and return
 * `{ "payloads": [...] }` in proto JSON (metadata values and data base64), so the Web UI and `temporal` CLI can
 * show decrypted payloads. The endpoint's path is its token: the UI appends /decode to the endpoint it is
 * given and sends no credentials of its own over plain HTTP. Every request that is not exactly right is
 * answered with a 4xx and a JSON message, never by failing the process.
 */
export async function startCodecServer({
  codec,
  host,
  port,
  corsOrigins,
  token,
  maxBodyBytes = defaultMaxBodyBytes,
}: CodecServerOptions): Promise<RunningCodecServer> {
  const operations: Record<string, (payloads: JSONPayload[]) => Promise<JSONPayload[]>> = {
    encode: async (payloads) => (await codec.encode(payloads.map(JSONToPayload))).map(payloadToJSON),
    decode: async (payloads) => (await codec.decode(payloads.map(JSONToPayload))).map(payloadToJSON),
  };
  let allowedHosts = new Set<string>();

  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    const origin = request.headers.origin;
    if (origin && corsOrigins.includes(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    response.setHeader('Vary', 'Origin');
    // A page on another site whose name was rebound to this address still sends its own name as Host.
    const hostHeader = request.headers.host?.toLowerCase() ?? '';
    if (!allowedHosts.has(hostHeader)) {
      throw new Refusal(403, `Host "${hostHeader}" is not this codec server's address: call it as ${[...allowedHosts].join(' or ')}`);
    }
    const route = /^(?:\/([^/]*))?\/(encode|decode)$/.exec(requestPath(request.url ?? ''));
    if (!route) throw new Refusal(404, 'not found: use POST <endpoint>/encode or POST <endpoint>/decode with the endpoint the codec server printed');
    if (!sameSecret(route[1] ?? '', token)) {
      throw new Refusal(401, "the codec endpoint's token is missing or wrong: use the endpoint the codec server printed at start (http://host:port/<token>)");
    }
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      response.writeHead(204).end();
      return;
    }
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST, OPTIONS');
      throw new Refusal(405, `${request.method} is not supported: use POST`);
    }
    const { payloads } = parseCodecRequest(await readRequestBody(request, maxBodyBytes));
    try {
      reply(response, 200, { payloads: await operations[route[2]](payloads) });
    } catch (err) {
      if (err instanceof PayloadDecryptionError) throw new Refusal(400, err.message);
      throw err;
    }
  };

  const server = createServer((request, response) => {
    answer(request, response).catch((err: unknown) => {
      if (err instanceof RequestBodyTooLarge) return reply(response, 413, { message: `${err.message}: send fewer payloads per request` }, true);
      if (err instanceof Refusal) return reply(response, err.status, { message: err.message });
      reply(response, 500, { message: `the codec server failed: ${err instanceof Error ? err.message : String(err)}` });
    });
  });
  server.on('clientError', answerUnparsableRequest);

  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const { port: boundPort } = server.address() as AddressInfo;
  allowedHosts = hostHeadersFor(host, boundPort);
  return {
    port: boundPort,
    endpoint: `http://${bracketed(host)}:${boundPort}/${token}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The warning to print when the server listens beyond this machine's loopback, or undefined. */
export function exposureWarning(host: string): string | undefined {
  if (isLoopback(host)) return undefined;
  return (
    `warning: the codec server listens on ${host}, beyond loopback: anyone who can reach it with its endpoint's token can ` +
    'decrypt every payload. Prefer --host 127.0.0.1 on the machine whose browser uses it; otherwise put it behind TLS and access control.'
  );
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(host);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The Host headers a browser sends for this server's own addresses. */
function hostHeadersFor(host: string, port: number): Set<string> {
  const loopbackNames = ['localhost', '127.0.0.1', '::1'];
  const machineNames = () => [hostname(), ...Object.values(networkInterfaces()).flatMap((addresses) => (addresses ?? []).map(({ address }) => address))];
  const names = isWildcard(host) ? [...loopbackNames, ...machineNames()] : isLoopback(host) ? [...loopbackNames, host] : [host];
  // Browsers leave the port out of Host when it is HTTP's default.
  return new Set(names.flatMap((name) => [`${bracketed(name).toLowerCase()}:${port}`, ...(port === 80 ? [bracketed(name).toLowerCase()] : [])]));
}

/** The path of a request target, which may be absolute (`POST http://host/decode`); a target that is no URL is a 400. */
function requestPath(target: string): string {
  try {
    return new URL(target, 'http://codec-server').pathname;
  } catch {
    throw new Refusal(400, `the request target ${JSON.stringify(target)} is not a URL path: use POST <endpoint>/decode`);
  }
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function parseCodecRequest(body: Buffer): z.output<typeof codecRequestSchema> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new Refusal(400, `the request body is not JSON (${(err as Error).message}): send {"payloads": [...]}`);
  }
  const parsed = codecRequestSchema.safeParse(json);
  if (!parsed.success)
    throw new Refusal(400, `the request body must be {"payloads": [{"metadata": {...}, "data": "<base64>"}, ...]}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function reply(response: ServerResponse, status: number, body: unknown, closeConnection = false): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      ...(closeConnection && { Connection: 'close' }),
    })
    .end(text);
}

/** Bytes Node cannot parse as HTTP never reach the request handler: answer them here, in JSON too. */
function answerUnparsableRequest(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({ message: `not a valid HTTP request (${error.code ?? error.message}): use POST <endpoint>/decode with a JSON body` });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
