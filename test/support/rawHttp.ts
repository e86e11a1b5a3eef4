import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body as JSON, for servers that answer every request with a JSON message. */
  json: () => { message?: string; error?: string };
}

const headerEnd = Buffer.from('\r\n\r\n');

/**
 * Sends `request` byte for byte over a fresh TCP connection, as a browser or an attacker could, and reads the
 * answer until the server closes the connection or sends the whole Content-Length (send `Connection: close`
 * to a server that answers in chunks).
 */
export function rawRequest(port: number, request: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = Buffer.alloc(0);
    const parse = () => {
      const end = received.indexOf(headerEnd);
      if (end < 0) return undefined;
      const [statusLine, ...headerLines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      return { status: Number(statusLine.split(' ')[1]), headers, rest: received.subarray(end + headerEnd.length) };
    };
    const finish = () => {
      socket.destroy();
      const answer = parse();
      if (!answer) return reject(new Error(`no HTTP answer, received: ${JSON.stringify(received.toString())}`));
      const { status, headers, rest } = answer;
      const body = (headers['transfer-encoding'] === 'chunked' ? unchunked(rest) : rest).toString('utf8');
      resolve({ status, headers, body, json: () => JSON.parse(body) });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answer = parse();
      const length = answer?.headers['content-length'];
      if (answer && length !== undefined && answer.rest.length >= Number(length)) finish();
    });
    // The server may close while the rest of a refused body is still being written.
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? finish() : reject(err)));
    socket.on('close', finish);
  });
}

/** The body of a chunked answer: sizes in hex, each chunk followed by CRLF, a 0 size last. */
function unchunked(bytes: Buffer): Buffer {
  const chunks: Buffer[] = [];
  for (let at = 0; ;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(chunks);
    chunks.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** A request with a body and a Content-Length, as HTTP clients send it. */
export function httpRequestText(method: string, path: string, headers: Record<string, string>, body = ''): string {
  const lines = Object.entries({ ...headers, 'Content-Length': String(Buffer.byteLength(body)) }).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}
