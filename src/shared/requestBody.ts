import type { IncomingMessage } from 'node:http';

/** A request body over the server's bound: answer 413 and close the connection. */
export class RequestBodyTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`the request body exceeds ${limitBytes} bytes`);
  }
}

/** Reads a request's body, refusing one over `limitBytes` as soon as its Content-Length or its bytes say so. */
export async function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  if (Number(request.headers['content-length'] ?? 0) > limitBytes) throw new RequestBodyTooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new RequestBodyTooLarge(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
