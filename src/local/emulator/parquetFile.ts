import { EvalWorker } from './evalWorker';

/** A top-level column of a Parquet file, as its schema describes it. */
export interface ParquetColumn {
  name: string;
  /** The physical type: BOOLEAN, INT32, INT64, INT96, FLOAT, DOUBLE, BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY. */
  physicalType?: string;
  /** The logical (or legacy converted) type: STRING, DECIMAL, DATE, TIMESTAMP, INTEGER, JSON, ... */
  logicalType?: string;
  scale?: number;
  precision?: number;
  /** A struct, list or map: it has columns of its own. */
  nested: boolean;
}

export interface ParquetContents {
  columns: ParquetColumn[];
  /**
   * Row by row, by position. Integers of 64 bits are bigints, decimals numbers, dates 'YYYY-MM-DD' and
   * timestamps 'YYYY-MM-DDTHH:MM:SS.ffffff' (UTC), so no precision is lost to Date.
   */
  rows: unknown[][];
}

// Runs in a worker thread (hyparquet is ES modules only; see EvalWorker).
const decoderSource = `
  const { parentPort, workerData } = require('node:worker_threads');
  const { pathToFileURL } = require('node:url');
  const library = import(pathToFileURL(workerData.hyparquet).href);

  const isoDate = (millis) => new Date(millis).toISOString().slice(0, 10);
  function timestamp(micros) {
    const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
    const rest = ((micros % 1000n) + 1000n) % 1000n;
    return new Date(Number(millis)).toISOString().slice(0, 23) + String(rest).padStart(3, '0');
  }
  const parsers = {
    dateFromDays: (days) => isoDate(days * 86400000),
    timestampFromMilliseconds: (millis) => timestamp(BigInt(millis) * 1000n),
    timestampFromMicroseconds: (micros) => timestamp(BigInt(micros)),
    timestampFromNanoseconds: (nanos) => timestamp(BigInt(nanos) / 1000n),
  };

  async function decode(bytes) {
    const { parquetMetadata, parquetSchema, parquetRead } = await library;
    const metadata = parquetMetadata(bytes);
    const columns = parquetSchema(metadata).children.map(({ element, children }) => ({
      name: element.name,
      physicalType: element.type,
      logicalType: element.logical_type?.type ?? element.converted_type,
      scale: element.scale,
      precision: element.precision,
      nested: children.length > 0,
    }));
    let rows = [];
    await parquetRead({ file: bytes, metadata, parsers, rowFormat: 'array', onComplete: (read) => (rows = read) });
    return { columns, rows };
  }

  parentPort.on('message', async ({ id, request }) => {
    try {
      parentPort.postMessage({ id, reply: await decode(request) });
    } catch (error) {
      parentPort.postMessage({ id, error: { message: String(error?.message ?? error) } });
    }
  });
`;

/** Decodes Parquet files, one at a time, in a worker thread started on first use. */
export class ParquetDecoder {
  private worker?: EvalWorker<ArrayBuffer, ParquetContents>;

  /** Fails with the reader's message when the bytes are not a Parquet file it can read. */
  decode(bytes: Uint8Array): Promise<ParquetContents> {
    this.worker ??= new EvalWorker('Parquet decoder', decoderSource, { hyparquet: require.resolve('hyparquet') });
    const copy = bytes.slice().buffer;
    return this.worker.request(copy, [copy]);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
  }
}
