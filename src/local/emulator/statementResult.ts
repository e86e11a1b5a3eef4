import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import type { SqlField, SqlResult } from './sqlEngine';

const integerTypes = new Set(['int2', 'int4', 'int8', 'oid']);
const floatTypes = new Set(['float4', 'float8']);
const signedTypes = new Set([...integerTypes, ...floatTypes, 'numeric']);

/** A value as the Data API sends it: integers as longValue, floats as doubleValue, booleans, and the rest (numeric too) as text. */
export function toField(value: string | null, field: SqlField): Field {
  if (value === null) return { isNull: true };
  if (integerTypes.has(field.typeName)) return { longValue: Number(value) };
  if (floatTypes.has(field.typeName)) return { doubleValue: Number(value) };
  if (field.typeName === 'bool') return { booleanValue: value === 't' };
  return { stringValue: value };
}

export function toRecords(result: SqlResult): Field[][] {
  return result.rows.map((row) => row.map((value, index) => toField(value, result.fields[index])));
}

export function toColumnMetadata(fields: SqlField[]): ColumnMetadata[] {
  return fields.map(({ name, typeName }) => ({
    name,
    label: name,
    typeName,
    isSigned: signedTypes.has(typeName),
    isCaseSensitive: ['varchar', 'bpchar', 'text', 'name'].includes(typeName),
    isCurrency: false,
  }));
}
