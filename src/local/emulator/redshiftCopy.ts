import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, paginateListObjectsV2, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { parseFileRows, type FileRows } from './copyFiles';
import type { ParquetColumn, ParquetDecoder } from './parquetFile';
import type { CopyCommand } from './redshiftCopyCommand';
import type { SqlResult } from './sqlEngine';
import { SqlTextError } from './sqlText';

/** Runs SQL in the transaction the COPY is part of. */
export type RunSql = (sql: string, params?: (string | null)[]) => Promise<SqlResult>;

export interface CopySources {
  /** The local S3; absent when the emulator was not told one. */
  s3?: S3Client;
  parquet: ParquetDecoder;
}

/** A column of the table COPY loads, with PostgreSQL's type (typcategory S: string, N: numeric, D: date/time, B: boolean). */
export interface TargetColumn {
  name: string;
  type: string;
  category: string;
}

/** PostgreSQL takes at most 65535 parameters per statement. */
const maxParametersPerInsert = 30_000;

/**
 * Loads every object under the COPY's S3 prefix into its table, as Redshift does: Parquet columns by position,
 * CSV and text fields by position, JSON 'auto' by key; returns the rows loaded. Any failure fails the COPY
 * (and so its transaction) with Redshift's error text.
 */
export async function runCopy(copy: CopyCommand, runSql: RunSql, sources: CopySources): Promise<number> {
  const columns = await targetColumns(copy, runSql);
  const s3 = sources.s3;
  if (!s3) throw new SqlTextError('ERROR: COPY needs the local S3, and the emulator was started without one: give it --s3-endpoint (etl stack up does).');
  const keys = await objectKeys(s3, copy);
  if (keys.length === 0) {
    throw new SqlTextError(`ERROR: The specified S3 prefix '${copy.source.prefix}' does not exist (bucket ${copy.source.bucket}, COPY ${copy.source.url}).`);
  }
  let loaded = 0;
  for (const key of keys) {
    const url = `s3://${copy.source.bucket}/${key}`;
    const bytes = await objectBytes(s3, copy.source.bucket, key);
    if (bytes.length === 0) continue; // an empty object holds no rows, in any format
    const rows = await fileRows(copy, columns, url, bytes, sources.parquet);
    loaded += await insertRows(copy, columns, url, rows, runSql);
  }
  return loaded;
}

async function targetColumns(copy: CopyCommand, runSql: RunSql): Promise<TargetColumn[]> {
  const { rows } = await runSql(
    `SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typcategory
       FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [copy.table],
  );
  const all = rows.map(([name, type, category]) => ({ name: name!, type: type!, category: category! }));
  if (!copy.columns) return all;
  return copy.columns.map((name) => {
    const column = all.find((candidate) => candidate.name === name);
    if (!column) throw new SqlTextError(`ERROR: column "${name}" of relation "${copy.tableName}" does not exist`);
    return column;
  });
}

/** The objects under the prefix, in key order; "folder" keys ending in / are not files. */
async function objectKeys(s3: S3Client, copy: CopyCommand): Promise<string[]> {
  const keys: string[] = [];
  try {
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: copy.source.bucket, Prefix: copy.source.prefix })) {
      for (const object of page.Contents ?? []) if (object.Key && !object.Key.endsWith('/')) keys.push(object.Key);
    }
  } catch (error) {
    throw s3Error(error);
  }
  return keys.sort();
}

async function objectBytes(s3: S3Client, bucket: string, key: string): Promise<Uint8Array> {
  try {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Body ? await Body.transformToByteArray() : new Uint8Array();
  } catch (error) {
    throw s3Error(error);
  }
}

/** Redshift reports S3's refusals in this shape. */
function s3Error(error: unknown): Error {
  if (!(error instanceof S3ServiceException)) return error as Error;
  return new SqlTextError(`ERROR: S3ServiceException:${error.message},Status ${error.$metadata.httpStatusCode ?? 'unknown'},Error ${error.name}`);
}

async function fileRows(copy: CopyCommand, columns: TargetColumn[], url: string, bytes: Uint8Array, parquet: ParquetDecoder): Promise<(string | null)[][]> {
  if (copy.format === 'parquet') {
    const contents = await parquet.decode(bytes).catch((error: Error) => {
      throw new SqlTextError(`ERROR: Spectrum Scan Error: File '${url}' is not a Parquet file the reader can read: ${error.message}`);
    });
    checkParquetColumns(columns, contents.columns, url);
    return contents.rows.map((row) => row.map((value, index) => parquetText(value, contents.columns[index])));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(copy.gzip ? gunzipSync(bytes) : bytes);
  } catch (error) {
    throw loadError(copy, url, copy.gzip ? `it is not GZIP data (${(error as Error).message})` : 'it is not UTF-8 text (GZIP files need the GZIP option)');
  }
  const parsed: FileRows = parseFileRows(copy, columns, text);
  if ('problem' in parsed) throw loadError(copy, url, parsed.problem);
  return parsed.rows;
}

/** Redshift matches Parquet columns to the table's (or the column list's) by position, and their types must fit. */
function checkParquetColumns(columns: TargetColumn[], fileColumns: ParquetColumn[], url: string): void {
  if (fileColumns.length !== columns.length) {
    throw new SqlTextError(
      `ERROR: Spectrum Scan Error: Unmatched number of columns between table and file. Table columns: ${columns.length}, ` +
        `Data columns: ${fileColumns.length}, File name: ${url}`,
    );
  }
  fileColumns.forEach((fileColumn, index) => {
    const column = columns[index];
    if (parquetCategory(fileColumn) !== column.category) {
      const parquetType = [fileColumn.nested ? 'group' : fileColumn.physicalType?.toLowerCase(), fileColumn.logicalType && `(${fileColumn.logicalType})`]
        .filter(Boolean)
        .join(' ');
      throw new SqlTextError(
        `ERROR: Spectrum Scan Error: File '${url}' has an incompatible Parquet schema for column '${column.name}'. ` +
          `Column type: ${column.type.toUpperCase()}, Parquet schema: ${parquetType} ${fileColumn.name}`,
      );
    }
  });
}

/** The PostgreSQL type category a Parquet column fits: S string, N number, D date/time, B boolean. */
function parquetCategory(column: ParquetColumn): string | undefined {
  if (column.nested) return undefined;
  switch (column.logicalType) {
    case 'STRING':
    case 'UTF8':
    case 'ENUM':
    case 'JSON':
    case 'UUID':
      return 'S';
    case 'DECIMAL':
      return 'N';
    case 'DATE':
    case 'TIMESTAMP':
    case 'TIMESTAMP_MILLIS':
    case 'TIMESTAMP_MICROS':
      return 'D';
    default:
      break; // no logical type, or one that leaves the category to the physical type
  }
  switch (column.physicalType) {
    case 'BYTE_ARRAY':
      return 'S';
    case 'BOOLEAN':
      return 'B';
    case 'INT96':
      return 'D';
    case 'INT32':
    case 'INT64':
    case 'FLOAT':
    case 'DOUBLE':
      return 'N';
    default:
      return undefined;
  }
}

function parquetText(value: unknown, column: ParquetColumn): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && column.logicalType === 'DECIMAL') return value.toFixed(column.scale ?? 0);
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : JSON.stringify(value);
}

function loadError(copy: CopyCommand, url: string, problem: string): SqlTextError {
  return new SqlTextError(`ERROR: Load into table '${copy.tableName}' failed: ${url}: ${problem}.`);
}

/** Inserts with bound parameters; PostgreSQL converts each text to its column's type, or fails saying which value did not fit. */
async function insertRows(copy: CopyCommand, columns: TargetColumn[], url: string, rows: (string | null)[][], runSql: RunSql): Promise<number> {
  const columnList = columns.map((column) => `"${column.name.replaceAll('"', '""')}"`).join(', ');
  const rowsPerInsert = Math.max(1, Math.floor(maxParametersPerInsert / columns.length));
  let inserted = 0;
  for (let start = 0; start < rows.length; start += rowsPerInsert) {
    const chunk = rows.slice(start, start + rowsPerInsert);
    const values = chunk.map((_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(', ')})`);
    try {
      const result = await runSql(`INSERT INTO ${copy.table} (${columnList}) VALUES ${values.join(', ')}`, chunk.flat());
      inserted += result.rowCount ?? chunk.length;
    } catch (error) {
      throw loadError(copy, url, (error as Error).message);
    }
  }
  return inserted;
}
