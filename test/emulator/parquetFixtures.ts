import { EvalWorker } from '../../src/local/emulator/evalWorker';

/** A Parquet column: hyparquet-writer's column source, with an explicit schema element when a type needs one. */
export interface FixtureColumn {
  name: string;
  data: unknown[];
  /** STRING, INT32, INT64, DOUBLE, BOOLEAN, TIMESTAMP, ... */
  type?: string;
  /** For DECIMAL and DATE: the Parquet schema element, e.g. { type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 2 }. */
  element?: Record<string, unknown>;
}

// hyparquet-writer is ES modules only: written in a worker thread (see EvalWorker).
const writerSource = `
  const { parentPort, workerData } = require('node:worker_threads');
  const { pathToFileURL } = require('node:url');
  const library = import(pathToFileURL(workerData.writer).href);
  parentPort.on('message', async ({ id, request: columns }) => {
    try {
      const { parquetWriteBuffer } = await library;
      const explicit = columns.some((column) => column.element);
      const schema = explicit && [
        { name: 'root', num_children: columns.length },
        ...columns.map(({ name, type, element }) =>
          element ? { name, repetition_type: 'OPTIONAL', ...element } : { name, repetition_type: 'OPTIONAL', ...basic(type) }),
      ];
      const buffer = parquetWriteBuffer({ columnData: columns.map(({ name, data, type }) => ({ name, data, type: explicit ? undefined : type })), schema: schema || undefined });
      parentPort.postMessage({ id, reply: new Uint8Array(buffer) });
    } catch (error) {
      parentPort.postMessage({ id, error: { message: String(error?.message ?? error) } });
    }
  });
  function basic(type) {
    if (type === 'STRING') return { type: 'BYTE_ARRAY', converted_type: 'UTF8' };
    if (type === 'TIMESTAMP') return { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' };
    return { type };
  }
`;

let writer: EvalWorker<FixtureColumn[], Uint8Array> | undefined;

/** The bytes of a Parquet file holding these columns. */
export function parquetFile(columns: FixtureColumn[]): Promise<Uint8Array> {
  writer ??= new EvalWorker('Parquet writer', writerSource, { writer: require.resolve('hyparquet-writer') });
  return writer.request(columns);
}

export async function closeParquetWriter(): Promise<void> {
  await writer?.close();
  writer = undefined;
}
