import { Readable } from 'node:stream';

/** The text as a stream of chunks of `chunkBytes`, so lines, multi-byte characters and the BOM straddle chunk boundaries. */
export function chunked(text: string | Buffer, chunkBytes: number): Readable {
  const bytes = Buffer.from(text);
  return Readable.from(Array.from({ length: Math.ceil(bytes.length / chunkBytes) }, (_, i) => bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes)));
}
