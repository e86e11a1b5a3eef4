import { parse } from 'csv-parse/sync';
import type { TargetColumn } from './redshiftCopy';
import type { CopyCommand } from './redshiftCopyCommand';

/** A text file's rows, one value per target column (null: NULL), or what is wrong with the file. */
export type FileRows = { rows: (string | null)[][] } | { problem: string };

/** Reads a CSV, delimited text or JSON file (already decompressed) into rows for the COPY's target columns. */
export function parseFileRows(copy: CopyCommand, columns: TargetColumn[], text: string): FileRows {
  if (copy.format === 'json') return jsonRows(copy, columns, text);
  const records = copy.format === 'csv' ? csvRecords(copy, text) : textRecords(copy, text);
  if ('problem' in records) return records;
  const rows: (string | null)[][] = [];
  for (const { line, fields } of records.records) {
    if (fields.length !== columns.length) {
      return { problem: `line ${line} has ${fields.length} field(s), the ${copy.columns ? 'column list' : 'table'} takes ${columns.length}` };
    }
    rows.push(fields.map((field, index) => fieldValue(copy, columns[index], field)));
  }
  return { rows };
}

interface Records {
  records: { line: number; fields: string[] }[];
}

function csvRecords(copy: CopyCommand, text: string): Records | { problem: string } {
  try {
    const parsed = parse(text, {
      delimiter: copy.delimiter,
      quote: copy.quote,
      from_line: copy.ignoreHeader + 1,
      relax_column_count: true,
      bom: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return { records: parsed.map(({ record, info }) => ({ line: info.lines, fields: record })) };
  } catch (error) {
    return { problem: `it is not valid CSV: ${(error as Error).message}` };
  }
}

/** Redshift's default format: one row per line, fields split by the delimiter, a backslash escaping the next character. */
function textRecords(copy: CopyCommand, text: string): Records {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const records = lines.slice(copy.ignoreHeader).map((line, index) => {
    const fields: string[] = [''];
    for (let position = 0; position < line.length; position++) {
      const char = line[position];
      if (char === '\\' && position + 1 < line.length) {
        const escaped = line[++position];
        // \N stays as written, so that NULL AS '\N' matches it.
        fields[fields.length - 1] += escaped === 'N' ? '\\N' : escaped;
      } else if (line.startsWith(copy.delimiter, position)) {
        fields.push('');
        position += copy.delimiter.length - 1;
      } else {
        fields[fields.length - 1] += char;
      }
    }
    return { line: copy.ignoreHeader + index + 1, fields };
  });
  return { records };
}

/**
 * As Redshift loads a field: NULL AS text is NULL; an empty field is NULL, except in CHAR and VARCHAR columns
 * where it is '' (NULL with EMPTYASNULL); white space alone is NULL there with BLANKSASNULL.
 */
function fieldValue(copy: CopyCommand, column: TargetColumn, field: string): string | null {
  if (copy.nullAs !== undefined && field === copy.nullAs) return null;
  const isText = column.category === 'S';
  if (field === '') return isText && !copy.emptyAsNull ? '' : null;
  if (isText && copy.blanksAsNull && field.trim() === '') return null;
  return field;
}

/** JSON 'auto': a sequence of objects, each one row; keys name columns (any case with 'auto ignorecase'), missing keys are NULL. */
function jsonRows(copy: CopyCommand, columns: TargetColumn[], text: string): FileRows {
  const rows: (string | null)[][] = [];
  let position = 0;
  for (;;) {
    while (position < text.length && /\s/.test(text[position])) position += 1;
    if (position >= text.length) return { rows };
    if (text[position] !== '{') return { problem: `expected a JSON object at offset ${position}, found "${text.slice(position, position + 20)}"` };
    const end = objectEnd(text, position);
    let object: Record<string, unknown>;
    try {
      object = JSON.parse(text.slice(position, end)) as Record<string, unknown>;
    } catch (error) {
      return { problem: `the JSON object at offset ${position} is not valid: ${(error as Error).message}` };
    }
    const keyOf = (name: string) => (copy.jsonIgnoreCase ? Object.keys(object).find((key) => key.toLowerCase() === name.toLowerCase()) : name);
    rows.push(columns.map((column) => jsonValue(object[keyOf(column.name) ?? ''])));
    position = end;
  }
}

/** The offset just past the object starting at `start` (strings may hold braces), or the end of the text. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let position = start; position < text.length; position++) {
    const char = text[position];
    if (inString) {
      if (char === '\\') position += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '{' || char === '[') {
      depth += 1;
    } else if ((char === '}' || char === ']') && --depth === 0) {
      return position + 1;
    }
  }
  return text.length;
}

function jsonValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}
