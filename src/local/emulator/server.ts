import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { EmulatorState } from './emulator';
import { AwsError, awsErrorBody, toAwsJson } from './protocol';
import { glueOutcomesRequestSchema, redshiftRulesRequestSchema } from './scripts';

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
}

export interface RunningEmulator {
  /** Base URL for the SDK clients' `endpoint` and for EmulatorControl. */
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

const controlPrefix = '/_emulator/';

/** Starts the Glue + Redshift Data emulator on loopback. */
export async function startEmulator({ host = '127.0.0.1', port = 0 }: EmulatorOptions = {}): Promise<RunningEmulator> {
  const server = createEmulatorServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const boundPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${boundPort}`,
    port: boundPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close() would wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}

/** AWS JSON 1.1 requests are routed by X-Amz-Target; plain JSON control requests live under /_emulator/. */
export function createEmulatorServer(): Server {
  const state = new EmulatorState();
  return createServer((request, response) => {
    handle(state, request)
      .catch((error: unknown) => jsonReply(500, { error: `emulator failure: ${(error as Error).stack ?? String(error)}` }))
      .then((reply) => response.writeHead(reply.status, reply.headers).end(reply.body));
  });
}

async function handle(state: EmulatorState, request: IncomingMessage): Promise<Reply> {
  const text = await readBody(request);
  const path = new URL(request.url ?? '/', 'http://emulator').pathname;
  if (path.startsWith(controlPrefix)) return controlReply(state, request.method ?? 'GET', path, text);
  return awsReply(state, String(request.headers['x-amz-target'] ?? ''), text);
}

function awsReply(state: EmulatorState, target: string, text: string): Reply {
  const body = parseJsonOrKeepText(text);
  state.requests.push({ target, body });
  try {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AwsError('SerializationException', 'The request body must be a JSON object.');
    }
    const operation = state.operation(target);
    if (!operation) {
      throw new AwsError(
        'UnknownOperationException',
        `X-Amz-Target "${target}" is not emulated. This emulator serves: ${state.supportedTargets().join(', ')}.`,
      );
    }
    return awsJsonReply(200, {}, operation(body as never));
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return awsJsonReply(400, { 'x-amzn-errortype': error.type }, awsErrorBody(error));
  }
}

function controlReply(state: EmulatorState, method: string, path: string, text: string): Reply {
  const jobOutcomes = /^\/_emulator\/glue\/jobs\/([^/]+)\/outcomes$/.exec(path);
  try {
    if (method === 'POST' && path === '/_emulator/reset') {
      state.reset();
    } else if (method === 'GET' && path === '/_emulator/recorded') {
      return jsonReply(200, state.recording());
    } else if (method === 'PUT' && jobOutcomes) {
      state.glue.setOutcomes(decodeURIComponent(jobOutcomes[1]), parseControlBody(glueOutcomesRequestSchema, text).outcomes);
    } else if (method === 'PUT' && path === '/_emulator/redshift/rules') {
      state.redshift.setRules(parseControlBody(redshiftRulesRequestSchema, text).rules);
    } else {
      return jsonReply(404, {
        error: `No control endpoint ${method} ${path}. Available: POST /_emulator/reset, GET /_emulator/recorded, PUT /_emulator/glue/jobs/<jobName>/outcomes, PUT /_emulator/redshift/rules.`,
      });
    }
    return { status: 204 };
  } catch (error) {
    if (!(error instanceof InvalidControlBody)) throw error;
    return jsonReply(400, { error: error.message });
  }
}

class InvalidControlBody extends Error {}

function parseControlBody<Schema extends z.ZodType>(schema: Schema, text: string): z.output<Schema> {
  const result = schema.safeParse(parseJsonOrKeepText(text));
  if (!result.success) throw new InvalidControlBody(`invalid request body:\n${z.prettifyError(result.error)}`);
  return result.data;
}

function parseJsonOrKeepText(text: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function awsJsonReply(status: number, headers: Record<string, string>, body: object): Reply {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), ...headers },
    body: toAwsJson(body),
  };
}

function jsonReply(status: number, body: object): Reply {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
