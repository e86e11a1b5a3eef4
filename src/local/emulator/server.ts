import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { isIPv6, type AddressInfo } from 'node:net';
import { z } from 'zod';
import { readRequestBody, RequestBodyTooLarge } from '../../shared/requestBody';
import { EmulatorState, type RecordedRequest, type ServiceOptions } from './emulator';
import { faultsRequestSchema, type FaultAnswer } from './faults';
import { AwsError, awsErrorBody, toAwsJson } from './protocol';
import { crawlOutcomesRequestSchema, glueOutcomesRequestSchema, redshiftRulesRequestSchema } from './scripts';

export interface EmulatorOptions extends ServiceOptions {
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

type Reply =
  | {
      status: number;
      headers?: Record<string, string>;
      body?: string;
    }
  /** No answer at all: the connection is closed, as a network failure would. */
  | { dropConnection: true };

const controlPrefix = '/_emulator/';
/** Control bodies are small scripts; the largest AWS request is a batch of 40 statements of at most 100 KB. */
const maxBodyBytes = 8 * 1024 * 1024;

/** Starts the Glue + Redshift Data emulator on loopback. */
export async function startEmulator({ host = '127.0.0.1', port = 0, ...services }: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState(services);
  const server = createEmulatorServer(state);
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
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close() would wait for them to idle out.
        server.closeAllConnections();
      });
      await state.close();
    },
  };
}

/** AWS JSON 1.1 requests are routed by X-Amz-Target; plain JSON control requests live under /_emulator/. */
export function createEmulatorServer(state: EmulatorState): Server {
  return createServer((request, response) => {
    // Node ignores what a request listener returns; every failure of handle() becomes the 500 reply below.
    void handle(state, request)
      .catch((error: unknown) => jsonReply(500, { error: `emulator failure: ${(error as Error).stack ?? String(error)}` }))
      .then((reply) => {
        if ('dropConnection' in reply) response.destroy();
        else response.writeHead(reply.status, reply.headers).end(reply.body);
      });
  });
}

async function handle(state: EmulatorState, request: IncomingMessage): Promise<Reply> {
  const path = requestPath(request.url ?? '/');
  if (path === undefined) return jsonReply(400, { error: `the request target ${JSON.stringify(request.url)} is not a URL path` });
  const control = path.startsWith(controlPrefix);
  if (control) {
    const refusal = crossSiteRefusal(request);
    if (refusal) return jsonReply(403, { error: refusal });
  }
  let text: string;
  try {
    text = (await readRequestBody(request, maxBodyBytes)).toString('utf8');
  } catch (error) {
    if (!(error instanceof RequestBodyTooLarge)) throw error;
    // The rest of the body is never read: close the connection rather than parse it as the next request.
    if (control) return jsonReply(413, { error: error.message }, { connection: 'close' });
    const tooLarge = new AwsError('RequestEntityTooLargeException', `The request body exceeds ${error.limitBytes} bytes.`);
    return awsJsonReply(413, { 'x-amzn-errortype': tooLarge.type, connection: 'close' }, awsErrorBody(tooLarge));
  }
  if (control) return controlReply(state, request.method ?? 'GET', path, text);
  return awsReply(state, String(request.headers['x-amz-target'] ?? ''), text);
}

function requestPath(target: string): string | undefined {
  try {
    return new URL(target, 'http://emulator').pathname;
  } catch {
    return undefined;
  }
}

/**
 * Why a request that a web page made cannot use the control endpoints, or undefined. The emulator serves no
 * pages, so a browser request from any other origin is some site reaching into the local stack (resetting it,
 * scripting faults). Clients outside a browser send neither header.
 */
function crossSiteRefusal(request: IncomingMessage): string | undefined {
  const fetchSite = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const fromAnotherPage = fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none';
  if (!fromAnotherPage && (origin === undefined || ownOrigins(request).has(origin))) return undefined;
  return `the control endpoints refuse requests from web pages (Origin ${origin ?? 'not sent'}, Sec-Fetch-Site ${fetchSite ?? 'not sent'}): call them from a test or a script, as EmulatorControl does`;
}

/** The origins this emulator is reached at over this request's connection: its address, and loopback names on loopback. */
function ownOrigins(request: IncomingMessage): Set<string> {
  const { localAddress = '', localPort } = request.socket;
  const address = localAddress.replace(/^::ffff:/, '');
  const loopback = address === '::1' || address.startsWith('127.');
  const names = [address, ...(loopback ? ['localhost', '127.0.0.1', '::1'] : [])];
  return new Set(names.map((name) => `http://${isIPv6(name) ? `[${name}]` : name}:${localPort}`));
}

async function awsReply(state: EmulatorState, target: string, text: string): Promise<Reply> {
  const body = parseJsonOrKeepText(text);
  const recorded: RecordedRequest = { target, body };
  state.requests.push(recorded);
  try {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AwsError('SerializationException', 'The request body must be a JSON object.');
    }
    const operation = state.operation(target);
    if (!operation) {
      throw new AwsError('UnknownOperationException', `X-Amz-Target "${target}" is not emulated. This emulator serves: ${state.supportedTargets().join(', ')}.`);
    }
    const refusal = state.faults.refusal(target);
    if (refusal) {
      recorded.fault = 'refuse';
      const error = new AwsError(refusal.error, 'Refused as scripted with PUT /_emulator/faults; nothing was carried out.');
      return awsJsonReply(refusal.status, { 'x-amzn-errortype': error.type }, awsErrorBody(error));
    }
    const output = await operation(body as never);
    recorded.fault = state.faults.take(target);
    return recorded.fault ? faultReply(recorded.fault) : awsJsonReply(200, {}, output);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return awsJsonReply(400, { 'x-amzn-errortype': error.type }, awsErrorBody(error));
  }
}

async function controlReply(state: EmulatorState, method: string, path: string, text: string): Promise<Reply> {
  const jobOutcomes = /^\/_emulator\/glue\/jobs\/([^/]+)\/outcomes$/.exec(path);
  const crawlOutcomes = /^\/_emulator\/glue\/crawlers\/([^/]+)\/outcomes$/.exec(path);
  try {
    if (method === 'POST' && path === '/_emulator/reset') {
      await state.reset();
    } else if (method === 'GET' && path === '/_emulator/recorded') {
      return jsonReply(200, state.recording());
    } else if (method === 'PUT' && jobOutcomes) {
      state.glue.setOutcomes(decodeURIComponent(jobOutcomes[1]), parseControlBody(glueOutcomesRequestSchema, text).outcomes);
    } else if (method === 'PUT' && crawlOutcomes) {
      state.glue.crawlers.setOutcomes(decodeURIComponent(crawlOutcomes[1]), parseControlBody(crawlOutcomesRequestSchema, text).outcomes);
    } else if (method === 'PUT' && path === '/_emulator/redshift/rules') {
      state.redshift.setRules(parseControlBody(redshiftRulesRequestSchema, text).rules);
    } else if (method === 'PUT' && path === '/_emulator/faults') {
      const { faults } = parseControlBody(faultsRequestSchema, text);
      const unknown = faults.map((fault) => fault.target).filter((target) => !state.operation(target));
      if (unknown.length) {
        throw new InvalidControlBody(`faults name targets this emulator does not serve: ${unknown.join(', ')}. It serves: ${state.supportedTargets().join(', ')}.`);
      }
      state.faults.set(faults);
    } else {
      return jsonReply(404, {
        error: `No control endpoint ${method} ${path}. Available: POST /_emulator/reset, GET /_emulator/recorded, PUT /_emulator/glue/jobs/<jobName>/outcomes, PUT /_emulator/glue/crawlers/<crawlerName>/outcomes, PUT /_emulator/redshift/rules, PUT /_emulator/faults.`,
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidControlBody(`the request body is not JSON (${(error as Error).message}): send the JSON object the endpoint takes`);
  }
  const result = schema.safeParse(json);
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

/** The answer to a request that was carried out; the caller cannot tell that it was. */
function faultReply(answer: Exclude<FaultAnswer, 'refuse'>): Reply {
  if (answer === 'dropConnection') return { dropConnection: true };
  const error = new AwsError('InternalFailure', 'The request was carried out, then answered 500 as scripted with PUT /_emulator/faults.');
  return awsJsonReply(500, { 'x-amzn-errortype': error.type }, awsErrorBody(error));
}

function jsonReply(status: number, body: object, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
