import { parquetSchema, type FileMetaData, type SchemaElement, type SchemaTree } from 'hyparquet';
import { decimalType, type Column, type Contract } from '../../steps/validate/settings';
import { collectViolations, type StreamValidation, type Violation } from './validateStream';

// A Parquet file is checked by what its footer says, without reading its data: the schema's columns and types,
// and each row group's null counts where its writer recorded statistics. A column whose row groups carry no
// statistics is not checked for nulls (nothing short of reading it could tell).

/**
 * Checks a Parquet file's metadata against the contract: every contract column present, flat, with a
 * compatible type; no other columns unless allowed; no nulls, by the statistics, in a column that is not nullable.
 */
export function checkParquetMetadata(metadata: FileMetaData, contract: Contract): StreamValidation {
  const { result, report } = collectViolations(contract, Number(metadata.num_rows));
  const fileColumns = new Map<string, SchemaTree>();
  for (const column of parquetSchema(metadata).children) {
    const { name } = column.element;
    if (fileColumns.has(name)) report({ column: name, reason: 'duplicate column in the Parquet schema' });
    fileColumns.set(name, column);
  }
  const required = new Set(contract.columns.map((column) => column.name));
  for (const column of contract.columns) {
    const found = fileColumns.get(column.name);
    if (!found) {
      report({ column: column.name, reason: 'required column missing from the Parquet schema' });
      continue;
    }
    const problem = typeProblem(column, found);
    if (problem) report({ column: column.name, reason: problem });
    else if (!column.nullable && found.element.repetition_type !== 'REQUIRED') checkNullCounts(metadata, column.name, report);
  }
  if (!contract.allowExtraColumns) {
    for (const name of fileColumns.keys()) {
      if (!required.has(name)) report({ column: name, reason: 'column not in the contract (allowExtraColumns is false)' });
    }
  }
  return result;
}

function checkNullCounts(metadata: FileMetaData, name: string, report: (v: Violation) => void): void {
  metadata.row_groups.forEach((rowGroup, index) => {
    const chunk = rowGroup.columns.find((candidate) => candidate.meta_data?.path_in_schema.join('.') === name);
    const nulls = chunk?.meta_data?.statistics?.null_count;
    if (nulls !== undefined && nulls > 0n) {
      report({ rowGroup: index, column: name, reason: `${nulls} null(s) in a column that is not nullable (the row group's statistics)` });
    }
  });
}

/** The type a column's values are read as: its logical type, else its legacy converted type, in the logical types' names. */
function annotationOf(element: SchemaElement): string | undefined {
  if (element.logical_type) return element.logical_type.type;
  const converted = element.converted_type;
  if (converted === 'UTF8') return 'STRING';
  if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') return 'TIMESTAMP';
  if (converted?.startsWith('INT_') || converted?.startsWith('UINT_')) return 'INTEGER';
  return converted;
}

function decimalOf(element: SchemaElement): { precision?: number; scale: number } {
  const logical = element.logical_type;
  if (logical?.type === 'DECIMAL') return { precision: logical.precision, scale: logical.scale };
  return { precision: element.precision, scale: element.scale ?? 0 };
}

/** "INT64 (TIMESTAMP)", "BYTE_ARRAY (STRING)", "FIXED_LEN_BYTE_ARRAY (DECIMAL(18,2))", "group": what a report shows. */
function describeType(element: SchemaElement): string {
  const annotation = annotationOf(element);
  const decimal = decimalOf(element);
  const shown = annotation === 'DECIMAL' ? `DECIMAL(${decimal.precision},${decimal.scale})` : annotation;
  return `${element.type ?? 'group'}${shown ? ` (${shown})` : ''}`;
}

const stringAnnotations = new Set(['STRING', 'ENUM', 'JSON']);

/** Why the file's column cannot hold the contract column's values, or undefined when it can. */
function typeProblem(column: Column, found: SchemaTree): string | undefined {
  const { element } = found;
  if (found.children.length > 0 || element.repetition_type === 'REPEATED') {
    return `is a nested column (struct, list or map) in the file; the contract type ${column.type} needs a flat one`;
  }
  const annotation = annotationOf(element);
  const physical = element.type;
  const expected = (what: string) => `is ${describeType(element)} in the file; the contract type ${column.type} needs ${what}`;
  const decimal = decimalType(column.type);
  if (decimal) {
    const { precision, scale } = decimal;
    const found = decimalOf(element);
    // A narrower precision fits; another scale would change the values' meaning on load.
    const fits = annotation === 'DECIMAL' && found.scale === scale && (found.precision ?? Infinity) <= precision;
    return fits ? undefined : expected(`DECIMAL with scale ${scale} and precision ${precision} or less`);
  }
  switch (column.type) {
    case 'string':
      return physical === 'BYTE_ARRAY' && annotation !== undefined && stringAnnotations.has(annotation)
        ? undefined
        : expected('BYTE_ARRAY annotated STRING (UTF8), ENUM or JSON');
    case 'integer': {
      const logical = element.logical_type;
      const unsigned64 = element.converted_type === 'UINT_64' || (logical?.type === 'INTEGER' && logical.bitWidth === 64 && !logical.isSigned);
      if ((physical === 'INT32' || physical === 'INT64') && (annotation === undefined || annotation === 'INTEGER') && !unsigned64) return undefined;
      return expected(unsigned64 ? 'a signed integer (an unsigned 64-bit one may not fit a BIGINT)' : 'INT32 or INT64, not annotated as another type');
    }
    case 'date':
      return annotation === 'DATE' ? undefined : expected('INT32 annotated DATE');
    case 'timestamp':
      // INT96 is the legacy timestamp of Hive, Impala and older Spark.
      return annotation === 'TIMESTAMP' || (physical === 'INT96' && annotation === undefined) ? undefined : expected('INT64 annotated TIMESTAMP, or INT96');
    case 'boolean':
      return physical === 'BOOLEAN' ? undefined : expected('BOOLEAN');
    default:
      throw new Error(`unknown column type "${column.type}"`);
  }
}
