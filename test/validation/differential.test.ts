import { Readable } from 'node:stream';
import { contractSchema, type Contract } from '../../src/steps/validate/settings';
import { validateStream } from '../../src/activities/validation/validateStream';
import type { StreamValidation } from '../../src/activities/validation/validateStream';
import { malformedPrefix, validateWithCsvParse } from './csvParseReference';

// Change the seed to explore other files; a failure names the file's seed, which reproduces it alone.
const firstSeed = 20_240_115;
const files = 400;

/** mulberry32: a small seeded PRNG, so every generated file can be made again from its seed. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return {
    chance: (p: number) => next() < p,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}
type Random = ReturnType<typeof prng>;

const types = ['string', 'integer', 'decimal(18,2)', 'decimal(5,0)', 'date', 'timestamp', 'boolean'] as const;
const delimiters = [',', ';', '|', '\t', '¦'];
const textPieces = ['a', 'b', 'Zoë', '東京', '🚚', ' ', '"', '""', ',', ';', '|', '\t', '¦', 'x'.repeat(120)];

const values: Record<(typeof types)[number], { good: string[]; bad: string[] }> = {
  string: { good: [], bad: [] },
  integer: { good: ['0', '42', '-7', '+7', '9223372036854775807'], bad: ['1.5', ' 1', 'abc', '9223372036854775808', '1e3'] },
  'decimal(18,2)': { good: ['129.99', '.5', '5.', '-0.01', '0000001.20'], bad: ['1.234', '.', '1,00', '12345678901234567.0', 'x'] },
  'decimal(5,0)': { good: ['12345', '-1', '0.'], bad: ['123456', '1.5', '+'] },
  date: { good: ['2024-01-15', '2024-02-29', '0001-12-31'], bad: ['2024-02-30', '2023-02-29', '2024-1-15', '15/01/2024', '0000-01-01'] },
  timestamp: {
    good: ['2024-01-15T10:12:00Z', '2024-01-15 23:59:59.123456', '2024-01-15T00:00:00+05:30', '2024-01-15T00:00:00-0800', '2024-01-15T00:00:00+14'],
    bad: ['2024-01-15T24:00:00Z', '2024-01-15T10:12Z', '2024-01-15T10:12:00.1234567', '2024-01-15T10:12:00+15:00', '2024-01-15T10:12:00+05:'],
  },
  boolean: { good: ['true', 'FALSE', '1', 't', 'Yes', 'no'], bad: ['2', 'yep', 'truee', ''] },
};

interface GeneratedFile {
  bytes: Buffer;
  contract: Contract;
}

function generatedContract(random: Random, delimiter: string, faulty: boolean): { contract: Contract; header: string[] } {
  const columns = Array.from({ length: random.int(2, 6) }, (_, i) => ({
    name: `c${i}`,
    type: random.pick(types),
    nullable: random.chance(0.4),
  }));
  const header = columns.map((column) => column.name);
  if (faulty && random.chance(0.1)) header.splice(random.int(0, header.length - 1), 1);
  if (random.chance(0.2)) header.push(faulty && random.chance(0.5) ? 'c0' : 'extra');
  if (faulty && random.chance(0.05)) header.push('caf\xe9');
  for (let i = header.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [header[i], header[j]] = [header[j], header[i]];
  }
  const contract = contractSchema.parse({ format: 'csv', delimiter, columns, allowExtraColumns: !faulty || random.chance(0.7), maxReportedErrors: 1000 });
  return { contract, header };
}

function generatedValue(random: Random, type: (typeof types)[number] | undefined, lineBreaks: string[], faulty: boolean): string {
  if (faulty && random.chance(0.1)) return '';
  if (type && type !== 'string' && (!faulty || !random.chance(0.15))) return random.pick(values[type].good);
  if (type && type !== 'string' && random.chance(0.7)) return random.pick(values[type].bad);
  return Array.from({ length: random.int(0, 4) }, () => random.pick(random.chance(0.2) ? lineBreaks : textPieces)).join('');
}

/** A field as written: quoted when it must be (or by chance), its quotes doubled. */
function written(random: Random, value: string, delimiter: string, onlyField: boolean): string {
  const mustQuote = value.includes(delimiter) || /["\r\n]/.test(value);
  // A lone "" on a line is a row to validateStream and a blank line to csv-parse, which cannot tell them apart.
  const mayQuote = !(onlyField && value === '');
  return mustQuote || (mayQuote && random.chance(0.15)) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Quoting no reader can follow. */
function badlyQuoted(random: Random, field: string): string {
  switch (random.int(0, 2)) {
    case 0:
      return `"${field.replaceAll('"', '')}`;
    case 1:
      return `a"${field.replaceAll('"', '')}`;
    default:
      return `"${field.replaceAll('"', '')}"x`;
  }
}

function generatedFile(seed: number): GeneratedFile {
  const random = prng(seed);
  const delimiter = random.pick(delimiters);
  const lineEnd = random.chance(0.5) ? '\n' : '\r\n';
  // A third of the files meet their contract, unless their random text breaks it.
  const faulty = random.chance(0.67);
  const { contract, header } = generatedContract(random, delimiter, faulty);
  const typeOf = new Map(contract.columns.map((column) => [column.name, column.type as (typeof types)[number]]));
  // Broken quoting turns quoted line breaks into record ends; csv-parse ends records only at the file's first
  // line ending, so such files keep to it.
  const damageRate = faulty && random.chance(0.5) ? 0.02 : 0;
  const lineBreaks = damageRate ? [lineEnd] : ['\n', '\r\n', '\r'];
  const lines: string[] = [];
  if (random.chance(0.05)) lines.push('');
  lines.push(header.join(delimiter));
  for (let row = random.int(0, 30); row > 0; row--) {
    if (random.chance(0.05)) lines.push('');
    const fieldCount = faulty && random.chance(0.1) ? random.int(1, header.length + 2) : header.length;
    const fields = Array.from({ length: fieldCount }, (_, i) => {
      let value = generatedValue(random, typeOf.get(header[i]), lineBreaks, faulty);
      // Bytes Redshift cannot load: Latin-1 text, a NUL byte.
      if (faulty && random.chance(0.01)) value += random.pick(['\xe9', '\0']);
      const field = written(random, value, delimiter, fieldCount === 1);
      return random.chance(damageRate) ? badlyQuoted(random, field) : field;
    });
    lines.push(fields.join(delimiter));
  }
  // Text in the generator is one character per byte (Latin-1) except where it holds real UTF-8.
  const text = lines.join(lineEnd) + (random.chance(0.7) ? lineEnd : '');
  const bytes = Buffer.concat([random.chance(0.2) ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), encoded(text)]);
  return { bytes, contract };
}

/** UTF-8 for the text's characters, except that \xe9 stays the single byte 0xE9 (a Latin-1 é). */
function encoded(text: string): Buffer {
  return Buffer.concat(text.split('\xe9').flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.from([0xe9]), Buffer.from(part)])));
}

/** Chunks of random sizes, so records, quotes, CRLF pairs and multi-byte characters straddle them. */
function randomChunks(bytes: Buffer, random: Random): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = random.chance(0.3) ? random.int(1, 3) : random.int(1, 200);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** Malformed-CSV reasons differ in wording between the two readers; where they are reported must not. */
function comparable(validation: StreamValidation): StreamValidation {
  return {
    ...validation,
    sample: validation.sample.map((violation) => (violation.reason.startsWith(malformedPrefix) ? { ...violation, reason: malformedPrefix } : violation)),
  };
}

describe('validateStream agrees with a csv-parse reading of the same file', () => {
  it(`on ${files} generated files, fed in random chunks`, async () => {
    let malformed = 0;
    let invalid = 0;
    for (let seed = firstSeed; seed < firstSeed + files; seed++) {
      const { bytes, contract } = generatedFile(seed);
      const expected = comparable(validateWithCsvParse(bytes, contract));
      const actual = comparable(await validateStream(Readable.from(randomChunks(bytes, prng(seed))), contract));
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        throw new Error(
          `file of seed ${seed} (${JSON.stringify(bytes.toString('latin1'))}):\n` +
            `validateStream ${JSON.stringify(actual, null, 1)}\ncsv-parse ${JSON.stringify(expected, null, 1)}`,
        );
      }
      if (expected.errorCount > 0) invalid += 1;
      if (expected.sample.some((violation) => violation.reason === malformedPrefix)) malformed += 1;
    }
    // The files cover both outcomes, and quoting that stops checking.
    expect(invalid).toBeGreaterThan(files / 10);
    expect(files - invalid).toBeGreaterThan(files / 10);
    expect(malformed).toBeGreaterThan(5);
  });
});
