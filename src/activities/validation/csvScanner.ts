import { byteOrderMarkBytes, mayHoldEncodingProblems, utf8MarkLength } from './encoding';

const lineFeed = 0x0a;
const carriageReturn = 0x0d;
const quote = 0x22;

// An unclosed quote would otherwise make the scanner hold the rest of the file as one record.
export const maxRecordBytes = 16 * 1024 * 1024;

/**
 * One record, as its fields' byte ranges in `bytes`. The object and its arrays are reused for the next
 * record: read them in the callback, do not keep them.
 */
export interface CsvRecord {
  bytes: Buffer;
  /** The file line where the record starts (the first line is 1). */
  line: number;
  fieldCount: number;
  /** Field i is `bytes[fieldStarts[i], fieldEnds[i])`, without its quotes. */
  fieldStarts: Int32Array;
  fieldEnds: Int32Array;
  /** 1 where the field holds doubled quotes (`""`): read it with `unescapedField`. */
  fieldEscaped: Uint8Array;
  /** False when no field of the record can have an encoding problem, which spares checking each one. */
  mayHoldEncodingProblems: boolean;
}

/** The CSV is broken in a way no reader can resynchronise after; `line` is where the broken record starts. */
export class MalformedCsv extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** A quoted field's bytes with each `""` made one `"`. */
export function unescapedField(record: CsvRecord, field: number): Buffer {
  const escaped = record.bytes.subarray(record.fieldStarts[field], record.fieldEnds[field]);
  const bytes = Buffer.allocUnsafe(escaped.length);
  let length = 0;
  for (let i = 0; i < escaped.length; i++) {
    bytes[length++] = escaped[i];
    if (escaped[i] === quote) i++;
  }
  return bytes.subarray(0, length);
}

/**
 * Splits a CSV byte stream into records (RFC 4180: `"` quotes, `""` escapes a quote inside quotes) straight on
 * the chunks it arrives in, without decoding: a line feed ends a record, with a carriage return before it;
 * quoted fields may hold delimiters and line breaks. A UTF-8 byte order mark is skipped, a UTF-16 or UTF-32 one
 * refused. Blank lines are no records. Only the record that straddles two chunks is copied.
 */
export class CsvScanner {
  /** The line where the next record starts. */
  private line = 1;
  /** The file's first bytes, until there are enough to tell its byte order mark. */
  private head: Buffer | undefined = Buffer.alloc(0);
  /** The start of a record that the chunks so far do not complete. */
  private pending: Buffer = Buffer.alloc(0);
  private arrived: Buffer[] = [];
  private arrivedBytes = 0;
  /** When a record outgrows a scan, the next scan waits for twice the bytes, so a long record is scanned O(1) times per byte. */
  private nextScanBytes = 0;
  private readonly delimiter: Buffer;
  private readonly record: CsvRecord = {
    bytes: Buffer.alloc(0),
    line: 1,
    fieldCount: 0,
    fieldStarts: new Int32Array(64),
    fieldEnds: new Int32Array(64),
    fieldEscaped: new Uint8Array(64),
    mayHoldEncodingProblems: false,
  };

  constructor(
    delimiter: string,
    private readonly onRecord: (record: CsvRecord) => void,
  ) {
    this.delimiter = Buffer.from(delimiter);
  }

  /** Scans the next chunk; throws MalformedCsv or UnsupportedEncoding when checking cannot go on. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.head) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < byteOrderMarkBytes) return;
      chunk = this.withoutMark(this.head);
    }
    this.arrived.push(chunk);
    this.arrivedBytes += chunk.length;
    if (this.pending.length + this.arrivedBytes >= this.nextScanBytes) this.scanArrived(false);
  }

  /** Scans what is left at the end of the stream: a last record without a line break, or a broken one. */
  end(): void {
    if (this.head) this.arrived.push(this.withoutMark(this.head));
    this.scanArrived(true);
  }

  private withoutMark(head: Buffer): Buffer {
    this.head = undefined;
    return head.subarray(utf8MarkLength(head));
  }

  private scanArrived(final: boolean): void {
    if (this.pending.length > 0 && this.arrived.length === 1) this.scanStraddlingRecord(this.arrived[0]);
    const bytes = this.pending.length === 0 && this.arrived.length === 1 ? this.arrived[0] : Buffer.concat([this.pending, ...this.arrived]);
    this.arrived = [];
    this.arrivedBytes = 0;
    const scanned = this.scan(bytes, final);
    this.pending = bytes.subarray(scanned);
    if (this.pending.length > maxRecordBytes) {
      throw new MalformedCsv(this.line, `a record longer than ${maxRecordBytes / 1024 ** 2} MiB (is a quote left open?)`);
    }
    this.nextScanBytes = scanned === 0 ? Math.min(2 * bytes.length, maxRecordBytes + 1) : 0;
  }

  /**
   * Completes the record that the chunk before left pending with this chunk's bytes up to its first line feed,
   * so that only those are copied, not the whole chunk. If that line feed is quoted, the rest is scanned as usual.
   */
  private scanStraddlingRecord(chunk: Buffer): void {
    const lineEnd = chunk.indexOf(lineFeed) + 1;
    if (lineEnd === 0 || lineEnd === chunk.length) return;
    const joined = Buffer.concat([this.pending, chunk.subarray(0, lineEnd)]);
    this.pending = joined.subarray(this.scan(joined, false));
    this.arrived = [chunk.subarray(lineEnd)];
  }

  /**
   * Emits each record that `bytes` completes and returns the offset where the first incomplete one starts.
   * At the end of the stream (`final`) the bytes left are the last record.
   */
  private scan(bytes: Buffer, final: boolean): number {
    const record = this.record;
    const end = bytes.length;
    const delimiter = this.delimiter;
    const first = delimiter[0];
    const wide = delimiter.length > 1;
    // Every record this scan completes ends at or before the last line feed, unless the stream ends here.
    record.mayHoldEncodingProblems = mayHoldEncodingProblems(bytes, final ? end : bytes.lastIndexOf(lineFeed) + 1);
    record.bytes = bytes;
    let { fieldStarts, fieldEnds, fieldEscaped } = record;

    let at = 0;
    while (at < end) {
      const recordStart = at;
      let line = this.line;
      let fieldCount = 0;
      let firstQuoted = false;
      for (;;) {
        let fieldStart: number;
        let fieldEnd: number;
        let escaped = 0;
        if (at < end && bytes[at] === quote) {
          if (fieldCount === 0) firstQuoted = true;
          let close = at + 1;
          for (;;) {
            while (close < end) {
              const byte = bytes[close];
              if (byte === quote) break;
              if (byte === lineFeed) line++;
              close++;
            }
            if (close >= end) {
              if (!final) return recordStart;
              throw new MalformedCsv(this.line, 'a quoted field is never closed (a quote is missing, or the file was cut short)');
            }
            // Whether this quote closes the field or starts a `""` depends on the next byte.
            if (close + 1 >= end && !final) return recordStart;
            if (bytes[close + 1] !== quote) break;
            escaped = 1;
            close += 2;
          }
          fieldStart = at + 1;
          fieldEnd = close;
          at = close + 1;
          if (at < end) {
            const next = bytes[at];
            if (next === carriageReturn && at + 1 >= end && !final) return recordStart;
            if (next === carriageReturn && bytes[at + 1] === lineFeed) {
              at += 1;
            } else if (next !== lineFeed && !(next === first && (!wide || delimiterAt(bytes, at, delimiter)))) {
              if (wide && next === first && !final && at + delimiter.length > end) return recordStart;
              throw new MalformedCsv(
                this.line,
                `a closing quote is followed by ${JSON.stringify(String.fromCharCode(next))} instead of the delimiter or the end of the line`,
              );
            }
          }
        } else {
          let stop = at;
          while (stop < end) {
            const byte = bytes[stop];
            if (byte === first) {
              if (!wide || delimiterAt(bytes, stop, delimiter)) break;
              if (!final && stop + delimiter.length > end) return recordStart;
            } else if (byte === lineFeed || byte === quote) break;
            stop++;
          }
          if (stop >= end && !final) return recordStart;
          if (stop < end && bytes[stop] === quote) {
            throw new MalformedCsv(this.line, 'a quote inside an unquoted field (quote the whole field, and double each quote inside it)');
          }
          fieldStart = at;
          fieldEnd = stop < end && bytes[stop] === lineFeed && stop > at && bytes[stop - 1] === carriageReturn ? stop - 1 : stop;
          at = stop;
        }
        if (fieldCount === fieldStarts.length) ({ fieldStarts, fieldEnds, fieldEscaped } = this.growFields());
        fieldStarts[fieldCount] = fieldStart;
        fieldEnds[fieldCount] = fieldEnd;
        fieldEscaped[fieldCount] = escaped;
        fieldCount++;
        // `at` is now on the delimiter, on the line feed, or at the end of the stream.
        if (at >= end) break;
        if (bytes[at] === lineFeed) {
          at += 1;
          line++;
          break;
        }
        at += delimiter.length;
      }
      const blankLine = fieldCount === 1 && !firstQuoted && fieldStarts[0] === fieldEnds[0];
      record.line = this.line;
      this.line = line;
      if (blankLine) continue;
      record.fieldCount = fieldCount;
      this.onRecord(record);
    }
    return at;
  }

  private growFields(): CsvRecord {
    const { record } = this;
    const size = record.fieldStarts.length * 2;
    const grown = <T extends Int32Array | Uint8Array>(fields: T, bigger: T): T => (bigger.set(fields), bigger);
    record.fieldStarts = grown(record.fieldStarts, new Int32Array(size));
    record.fieldEnds = grown(record.fieldEnds, new Int32Array(size));
    record.fieldEscaped = grown(record.fieldEscaped, new Uint8Array(size));
    return record;
  }
}

function delimiterAt(bytes: Buffer, at: number, delimiter: Buffer): boolean {
  if (at + delimiter.length > bytes.length) return false;
  for (let i = 1; i < delimiter.length; i++) if (bytes[at + i] !== delimiter[i]) return false;
  return true;
}
