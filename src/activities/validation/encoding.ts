import { isUtf8 } from 'node:buffer';

// UTF-8 is part of every contract: Redshift COPY rejects invalid UTF-8 and NUL bytes, so a file that has
// them fails here, at validation, with its line and column, instead of late at the load. The parser reads
// the file as latin1, one character per byte, so a field is checked on its exact bytes and decoded once.

const nonAscii = /[^\x00-\x7f]/;

/** Byte order marks of the encodings a contract refuses; UTF-32 first, since its LE mark starts like UTF-16's. */
const otherEncodings: { name: string; mark: number[] }[] = [
  { name: 'UTF-32LE', mark: [0xff, 0xfe, 0x00, 0x00] },
  { name: 'UTF-32BE', mark: [0x00, 0x00, 0xfe, 0xff] },
  { name: 'UTF-16LE', mark: [0xff, 0xfe] },
  { name: 'UTF-16BE', mark: [0xfe, 0xff] },
];

/** The file is not UTF-8 at all: nothing after its first bytes can be read as text. */
export class UnsupportedEncoding extends Error {}

/** Why a field's bytes cannot be loaded, or undefined when they are valid UTF-8 without NUL bytes. */
export function encodingProblem(field: string): string | undefined {
  const nul = field.indexOf('\0');
  if (nul !== -1) return `NUL byte (0x00) at byte ${nul + 1} of the value; Redshift COPY rejects NUL bytes`;
  if (!nonAscii.test(field)) return undefined;
  const bytes = Buffer.from(field, 'latin1');
  if (isUtf8(bytes)) return undefined;
  const at = firstInvalidByte(bytes);
  const hex = bytes[at].toString(16).toUpperCase().padStart(2, '0');
  return `not UTF-8: byte 0x${hex} at byte ${at + 1} of the value (is the file Latin-1 or Windows-1252?); export it as UTF-8`;
}

/** The field's text: its bytes decoded as UTF-8 (invalid sequences shown as U+FFFD). */
export function toText(field: string): string {
  return nonAscii.test(field) ? Buffer.from(field, 'latin1').toString('utf8') : field;
}

/**
 * Passes the file's bytes through without a UTF-8 byte order mark, refusing a file that starts with a UTF-16
 * or UTF-32 one. (csv-parse's own BOM option would switch its decoding back to UTF-8.)
 */
export async function* withoutByteOrderMark(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let start: Buffer | undefined = Buffer.alloc(0);
  for await (const data of source) {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    if (!start) {
      yield chunk;
      continue;
    }
    start = Buffer.concat([start, chunk]);
    if (start.length < 4) continue;
    yield withoutMark(start);
    start = undefined;
  }
  if (start) yield withoutMark(start);
}

const utf8Mark = Buffer.from([0xef, 0xbb, 0xbf]);

function withoutMark(start: Buffer): Buffer {
  if (start.subarray(0, 3).equals(utf8Mark)) return start.subarray(3);
  const found = otherEncodings.find(({ mark }) => mark.every((byte, i) => start[i] === byte));
  if (found) {
    throw new UnsupportedEncoding(
      `the file is encoded as ${found.name} (it starts with the byte order mark ${hexBytes(found.mark)}); export it as UTF-8`,
    );
  }
  return start;
}

function hexBytes(bytes: number[]): string {
  return bytes.map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidByte(bytes: Buffer): number {
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes, at);
    if (length === 0) return at;
    at += length;
  }
  return at;
}

/** The length of the well-formed sequence starting at `at`, or 0 when there is none. */
function sequenceLength(bytes: Buffer, at: number): number {
  const lead = bytes[at];
  if (lead < 0x80) return 1;
  // The allowed range of the second byte excludes overlong forms, surrogates and code points over U+10FFFF.
  const [length, low, high] =
    lead >= 0xc2 && lead <= 0xdf ? [2, 0x80, 0xbf]
    : lead === 0xe0 ? [3, 0xa0, 0xbf]
    : lead === 0xed ? [3, 0x80, 0x9f]
    : lead >= 0xe1 && lead <= 0xef ? [3, 0x80, 0xbf]
    : lead === 0xf0 ? [4, 0x90, 0xbf]
    : lead >= 0xf1 && lead <= 0xf3 ? [4, 0x80, 0xbf]
    : lead === 0xf4 ? [4, 0x80, 0x8f]
    : [0, 0, 0];
  if (length === 0 || at + length > bytes.length) return 0;
  if (bytes[at + 1] < low || bytes[at + 1] > high) return 0;
  for (let i = 2; i < length; i++) if ((bytes[at + i] & 0xc0) !== 0x80) return 0;
  return length;
}
