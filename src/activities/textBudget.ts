/** Fitting text into a number of UTF-8 bytes: the unit SNS limits a message by, and a log tail is cut to. */

const ellipsis = '…';

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The text, or its start and an ellipsis within `maxBytes`; never splits a character. */
export function cutToBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes - utf8Length(ellipsis));
  // Back off to the first byte of a character: continuation bytes are 10xxxxxx.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8') + ellipsis;
}

/**
 * The first lines that fit in `maxBytes` joined by newlines, each cut to `lineBytes`; when some do not fit,
 * the last line is `hiddenNote(count)` saying how many were left out and where to read them.
 */
export function fitLines(lines: string[], maxBytes: number, lineBytes: number, hiddenNote: (count: number) => string): string[] {
  const cut = lines.map((line) => cutToBytes(line, lineBytes));
  if (utf8Length(cut.join('\n')) <= maxBytes) return cut;
  let room = maxBytes - utf8Length(hiddenNote(cut.length)) - 1;
  let kept = 0;
  while (kept < cut.length && utf8Length(cut[kept]) + 1 <= room) room -= utf8Length(cut[kept++]) + 1;
  return [...cut.slice(0, kept), hiddenNote(cut.length - kept)];
}
