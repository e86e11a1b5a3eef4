import { isUtf8 } from 'node:buffer';

// UTF-8 is part of every contract: Redshift COPY rejects invalid UTF-8 and NUL bytes, so a file that has
// them fails here, at validation, with its line and column, instead of late at the load. Fields are checked
// on their exact bytes, where they lie in the chunk read; text is decoded only for a report.

/** Byte order marks of the encodings a contract refuses; UTF-32 first, since its LE mark starts like UTF-16's. */
const otherEncodings: { name: string; mark: number[] }[] = [
  { name: 'UTF-32LE', mark: [0xff, 0xfe, 0x00, 0x00] },
  { name: 'UTF-32BE', mark: [0x00, 0x00, 0xfe, 0xff] },
  { name: 'UTF-16LE', mark: [0xff, 0xfe] },
  { name: 'UTF-16BE', mark: [0xfe, 0xff] },
];
const utf8Mark = [0xef, 0xbb, 0xbf];

/** How many bytes a byte order mark takes at the start of the file. */
export const byteOrderMarkBytes = 4;

/** The file is not UTF-8 at all: nothing after its first bytes can be read as text. */
export class UnsupportedEncoding extends Error {}

/**
 * The length of the UTF-8 byte order mark that `start` (the file's first bytes, at least
 * `byteOrderMarkBytes` of them unless the file is shorter) begins with: 3 or 0. Throws UnsupportedEncoding
 * for a UTF-16 or UTF-32 mark.
 */
export function utf8MarkLength(start: Uint8Array): number {
  const startsWith = (mark: number[]) => mark.every((byte, i) => start[i] === byte);
  if (startsWith(utf8Mark)) return utf8Mark.length;
  const found = otherEncodings.find(({ mark }) => startsWith(mark));
  if (found) {
    throw new UnsupportedEncoding(`the file is encoded as ${found.name} (it starts with the byte order mark ${hexBytes(found.mark)}); export it as UTF-8`);
  }
  return 0;
}

/**
 * Whether `bytes[0, end)` may hold a field with an encoding problem. One pass over a whole chunk is far
 * cheaper than one per field, and the answer is the same per field: the delimiter, quotes and line breaks are
 * ASCII, which never occurs inside a multi-byte sequence, so a chunk is valid UTF-8 exactly when each of its
 * fields is.
 */
export function mayHoldEncodingProblems(bytes: Buffer, end: number): boolean {
  if (end === 0) return false;
  const nul = bytes.indexOf(0);
  return (nul !== -1 && nul < end) || !isUtf8(bytes.subarray(0, end));
}

/** Why the field `bytes[start, end)` cannot be loaded, or undefined when it is valid UTF-8 without NUL bytes. */
export function encodingProblem(bytes: Uint8Array, start: number, end: number): string | undefined {
  let ascii = true;
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (byte === 0) return `NUL byte (0x00) at byte ${i - start + 1} of the value; Redshift COPY rejects NUL bytes`;
    if (byte >= 0x80) ascii = false;
  }
  if (ascii || isUtf8(bytes.subarray(start, end))) return undefined;
  const at = firstInvalidByte(bytes, start, end);
  const hex = bytes[at].toString(16).toUpperCase().padStart(2, '0');
  return `not UTF-8: byte 0x${hex} at byte ${at - start + 1} of the value (is the file Latin-1 or Windows-1252?); export it as UTF-8`;
}

/** The field's text: its bytes decoded as UTF-8 (invalid sequences shown as U+FFFD). */
export function toText(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('utf8', start, end);
}

function hexBytes(bytes: number[]): string {
  return bytes.map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidByte(bytes: Uint8Array, start: number, end: number): number {
  let at = start;
  while (at < end) {
    const length = sequenceLength(bytes, at, end);
    if (length === 0) return at;
    at += length;
  }
  return at;
}

/** The length of the well-formed sequence starting at `at`, or 0 when there is none. */
function sequenceLength(bytes: Uint8Array, at: number, end: number): number {
  const lead = bytes[at];
  if (lead < 0x80) return 1;
  // The allowed range of the second byte excludes overlong forms, surrogates and code points over U+10FFFF.
  const [length, low, high] =
    lead >= 0xc2 && lead <= 0xdf
      ? [2, 0x80, 0xbf]
      : lead === 0xe0
        ? [3, 0xa0, 0xbf]
        : lead === 0xed
          ? [3, 0x80, 0x9f]
          : lead >= 0xe1 && lead <= 0xef
            ? [3, 0x80, 0xbf]
            : lead === 0xf0
              ? [4, 0x90, 0xbf]
              : lead >= 0xf1 && lead <= 0xf3
                ? [4, 0x80, 0xbf]
                : lead === 0xf4
                  ? [4, 0x80, 0x8f]
                  : [0, 0, 0];
  if (length === 0 || at + length > end) return 0;
  if (bytes[at + 1] < low || bytes[at + 1] > high) return 0;
  for (let i = 2; i < length; i++) if ((bytes[at + i] & 0xc0) !== 0x80) return 0;
  return length;
}
