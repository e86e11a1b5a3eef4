import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { S3Client } from '@aws-sdk/client-s3';
import { localDir } from '../../src/local/paths';
import { getObjectBytes } from './aws';

export interface ParquetContents {
  /** Each column's name and Arrow type, in file order, e.g. { name: 'order_amount', type: 'decimal128(18, 2)' }. */
  columns: { name: string; type: string }[];
  /** One object per row; decimals as their text ("15.50"), timestamps in ISO 8601 ("2024-01-15T08:12:00+00:00"). */
  rows: Record<string, string | number | boolean | null>[];
}

// Reads stdin as Parquet with the venv's pyarrow, the reader Glue jobs here write with.
const readParquetPy = `
import io, json, sys
import pyarrow.parquet as pq
table = pq.read_table(io.BytesIO(sys.stdin.buffer.read()))
def text(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
print(json.dumps({
    "columns": [{"name": field.name, "type": str(field.type)} for field in table.schema],
    "rows": table.to_pylist(),
}, default=text))
`;

/** A Parquet object in S3, read back as a user inspecting a job's output would. */
export async function readParquetObject(s3: S3Client, bucket: string, key: string): Promise<ParquetContents> {
  const bytes = await getObjectBytes(s3, bucket, key);
  const python = `${localDir}/venv/bin/python`;
  const child = promisify(execFile)(python, ['-c', readParquetPy], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin!.end(bytes);
  const { stdout } = await child;
  return JSON.parse(stdout) as ParquetContents;
}
