import { PassThrough, Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecoder } from 'fzstd';
import unbzip2Stream from 'unbzip2-stream';
import type { Violation } from './validateStream';

// A compressed export is checked on its decompressed text and moved as it is: those are the bytes Glue (and
// Redshift COPY with GZIP, BZIP2 or ZSTD) read. Node 20's zlib has gzip only; bzip2 and zstd come from
// streaming pure-JS decoders.

export type Compression = 'gzip' | 'bzip2' | 'zstd';

const byExtension: Record<string, Compression> = { '.gz': 'gzip', '.gzip': 'gzip', '.bz2': 'bzip2', '.zst': 'zstd', '.zstd': 'zstd' };
const byContentEncoding: Record<string, Compression> = { gzip: 'gzip', 'x-gzip': 'gzip', bzip2: 'bzip2', 'x-bzip2': 'bzip2', zstd: 'zstd' };
/** Content-Encoding values that say nothing about how the stored bytes are compressed. */
const noCompression = new Set(['', 'identity', 'aws-chunked']);
/** Compressed or archive formats a producer may send that validation cannot read. */
const unreadableExtensions = ['.zip', '.xz', '.lz4', '.lzo', '.lzma', '.snappy', '.sz', '.br', '.deflate', '.7z', '.z', '.tar', '.tgz'];

export const supportedCompressions = 'gzip (.gz), bzip2 (.bz2) and zstd (.zst), by file extension or Content-Encoding';

/** How an object is compressed, from its name and Content-Encoding, or why validation cannot read it. */
export type CompressionCheck = { compression?: Compression } | { unsupported: string };

export function compressionOf(name: string, contentEncoding: string | undefined): CompressionCheck {
  const lower = name.toLowerCase();
  const extension = lower.slice(lower.lastIndexOf('.'));
  const unreadable = unreadableExtensions.find((ext) => lower.endsWith(ext));
  if (unreadable) return { unsupported: `unsupported compression: the file is named ${unreadable}; ${supportedHint}` };
  const encodings = (contentEncoding ?? '')
    .split(',')
    .map((value) => value.trim().toLowerCase())
    .filter((value) => !noCompression.has(value));
  const unknown = encodings.find((value) => !byContentEncoding[value]);
  if (unknown || encodings.length > 1) {
    return { unsupported: `unsupported compression: the object is stored with Content-Encoding: ${contentEncoding}; ${supportedHint}` };
  }
  const named = byExtension[extension];
  const encoded = encodings.length ? byContentEncoding[encodings[0]] : undefined;
  if (named && encoded && named !== encoded) {
    return {
      unsupported: `unsupported compression: the file is named ${extension} (${named}) but stored with Content-Encoding: ${contentEncoding}; ${supportedHint}`,
    };
  }
  return { compression: named ?? encoded };
}

const supportedHint = `validation reads ${supportedCompressions}; export the file uncompressed or in one of those`;

export interface TextEvents {
  /** The decompressed text could not be read to its end: it ends where this happened. */
  onUnreadable(violation: Violation): void;
  /** Bytes of the object read so far (compressed bytes for a compressed object). */
  onBytesRead?(bytes: number): void;
}

/**
 * The object's text: its bytes, decompressed. Corrupt or truncated compressed data ends the text where it
 * happened and is reported through `onUnreadable`, with the line the text stopped in; so is a file whose bytes
 * are compressed but whose name and Content-Encoding do not say so. A failure of the source itself (S3, a
 * cancellation) is thrown as it is, so the step is retried or cancelled.
 */
export function readText(source: Readable, compression: Compression | undefined, events: TextEvents): Readable {
  return Readable.from(compression ? decompress(source, compression, events) : plain(source, events), { objectMode: false });
}

async function* plain(source: Readable, events: TextEvents): AsyncGenerator<Buffer> {
  let bytes = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    if (bytes === 0) {
      const compressed = sniffCompression(chunk);
      if (compressed) {
        source.destroy();
        events.onUnreadable({
          line: 1,
          reason:
            `the file is ${compressed}-compressed, but neither its name nor its Content-Encoding says so; ` +
            `land it under a name ending in ${extensionOf[compressed]} (Glue reads compression from the name)`,
        });
        return;
      }
    }
    bytes += chunk.length;
    events.onBytesRead?.(bytes);
    yield chunk;
  }
}

async function* decompress(source: Readable, compression: Compression, events: TextEvents): AsyncGenerator<Buffer> {
  const { input, output } = decoder(compression);
  let sourceError: unknown;
  let bytesRead = 0;
  source.once('error', (err) => {
    sourceError = err;
    output.destroy(err);
  });
  source.pipe(input);
  // Observes what the pipe reads (attached after it, so it misses nothing); the pipe keeps its backpressure.
  source.on('data', (chunk: Buffer) => {
    bytesRead += chunk.length;
    events.onBytesRead?.(bytesRead);
  });
  let line = 1;
  let bytesOut = 0;
  try {
    for await (const chunk of output as AsyncIterable<Buffer>) {
      line += newlines(chunk);
      bytesOut += chunk.length;
      yield chunk;
    }
  } catch (err) {
    if (sourceError !== undefined) throw err;
    // zlib's and fzstd's messages say what is wrong; unbzip2-stream's do not ("another error", a TypeError).
    const message = (err as Error | undefined)?.message;
    const cause = compression !== 'bzip2' && message ? ` (${message})` : '';
    events.onUnreadable({
      line,
      reason:
        `the ${compression} data is corrupt or truncated${cause}: it could not be decompressed after ${bytesOut} byte(s) of text, ` +
        `at byte ${bytesRead} of the file or before, so the rest of the file was not checked; export the file again and land it in raw/`,
    });
  } finally {
    source.destroy();
    output.destroy();
  }
}

/** Where the bytes go in and where the text comes out. */
function decoder(compression: Compression): { input: NodeJS.WritableStream; output: Readable } {
  if (compression === 'gzip') {
    const gunzip = createGunzip();
    return { input: gunzip, output: gunzip };
  }
  if (compression === 'zstd') {
    const zstd = zstdStream();
    return { input: zstd, output: zstd };
  }
  // unbzip2-stream is a classic stream: its pipe gives a modern one, with backpressure (Readable.wrap would
  // see its early 'close' as a premature one).
  const bzip2 = unbzip2Stream();
  const output = new PassThrough();
  bzip2.on('error', (err: Error) => output.destroy(err));
  bzip2.pipe(output);
  return { input: bzip2, output };
}

function zstdStream(): Transform {
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        decoder.push(chunk);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done) {
      try {
        // Throws on a truncated frame.
        decoder.push(new Uint8Array(0), true);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
  // A copy: the decoder may reuse the memory it hands out.
  const decoder = new ZstdDecoder((data) => data.length > 0 && stream.push(Buffer.from(data)));
  return stream;
}

const extensionOf: Record<Compression, string> = { gzip: '.gz', bzip2: '.bz2', zstd: '.zst' };

/** Magic numbers of the compressions a CSV never starts with (bzip2's is followed by its block's own). */
function sniffCompression(start: Buffer): Compression | undefined {
  if (start[0] === 0x1f && start[1] === 0x8b) return 'gzip';
  if (start.length >= 4 && start.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  const bzip2Block = start.subarray(4, 10).toString('hex');
  if (start.subarray(0, 3).toString('latin1') === 'BZh' && (bzip2Block === '314159265359' || bzip2Block === '177245385090')) return 'bzip2';
  return undefined;
}

function newlines(chunk: Buffer): number {
  let count = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count += 1;
  return count;
}
