import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body as JSON, for servers that answer every request with a JSON message. */
  json: () => { message?: string; error?: string };
}

/**
 * Sends `request` byte for byte over a fresh TCP connection, as a browser or an attacker could, and reads the
 * answer until the server closes the connection or sends the whole Content-Length.
 */
export function rawRequest(port: number, request: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = Buffer.alloc(0);
    const finish = () => {
      socket.destroy();
      const text = received.toString('utf8');
      const headerEnd = text.indexOf('\r\n\r\n');
      if (headerEnd < 0) return reject(new Error(`no HTTP answer, received: ${JSON.stringify(text)}`));
      const [statusLine, ...headerLines] = text.slice(0, headerEnd).split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const body = text.slice(headerEnd + 4);
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, json: () => JSON.parse(body) });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const text = received.toString('utf8');
      const headerEnd = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, headerEnd));
      if (headerEnd >= 0 && length && received.length >= Buffer.byteLength(text.slice(0, headerEnd + 4)) + Number(length[1])) finish();
    });
    // The server may close while the rest of a refused body is still being written.
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? finish() : reject(err)));
    socket.on('close', finish);
  });
}

/** A request with a body and a Content-Length, as HTTP clients send it. */
export function httpRequestText(method: string, path: string, headers: Record<string, string>, body = ''): string {
  const lines = Object.entries({ ...headers, 'Content-Length': String(Buffer.byteLength(body)) }).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}
