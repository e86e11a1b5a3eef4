/**
 * The validator beside what it replaced and what the disk allows, on one orders CSV, in one run:
 * the seed's Lambda code (pandas read_csv of the whole file, then its checks), a plain Node stream
 * read of the file, and validateStream. Prints MB/s, rows/s, peak RSS and the ratios.
 *
 *   node --require ./bench/register.js bench/validate-vs-pandas.ts [--size 1GB | --file <csv path>]
 *
 * --size takes MB or GB (10^6 and 10^9 bytes; MB/s uses the same MB); the file is generated under
 * .local/bench/ and reused. The pandas code runs from .local/bench-venv, created on first use.
 * Every reader gets the file from the page cache: it is read once, untimed, before them.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchPython } from './bench-venv';
import { generatedOrdersCsv } from './orders-csv';

const projectDir = path.resolve(__dirname, '..');
const chunkBytes = 64 * 1024;
const units: Record<string, number> = { MB: 1e6, GB: 1e9 };

interface Measurement {
  name: string;
  seconds: number;
  rows?: number;
  peakRssBytes?: number;
  outcome: string;
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  if (at === -1) return undefined;
  const value = process.argv[at + 1];
  if (value === undefined) throw new Error(`${name} needs a value`);
  return value;
}

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(MB|GB)$/i.exec(text);
  if (!match) throw new Error(`--size ${text}: expected a number with MB or GB, such as 200MB or 1GB`);
  return Number(match[1]) * units[match[2].toUpperCase()];
}

async function csvUnderTest(): Promise<{ file: string; bytes: number }> {
  const file = option('--file');
  if (file) return { file: path.resolve(file), bytes: statSync(file).size };
  const targetBytes = parseSize(option('--size') ?? '1GB');
  console.log(`Generating (or reusing) an orders CSV of ${(targetBytes / 1e6).toFixed(0)} MB under .local/bench/ ...`);
  return generatedOrdersCsv(targetBytes, path.join(projectDir, '.local', 'bench'));
}

async function readWhole(file: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: chunkBytes })) bytes += (chunk as Buffer).length;
  return bytes;
}

async function rawRead(file: string): Promise<Measurement> {
  const started = process.hrtime.bigint();
  await readWhole(file);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { name: 'raw read (Node stream, 64 KiB)', seconds, outcome: 'bytes only' };
}

/** Runs a child that prints one JSON line as its last output line. */
function childReport<T>(command: string, args: string[]): T {
  const stdout = execFileSync(command, args, { cwd: projectDir, encoding: 'utf8', maxBuffer: 16 * 1024 ** 2 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as T;
}

function seedPandas(file: string, python: string): Measurement {
  const report = childReport<{
    rows: number;
    errors: string[];
    seconds: number;
    peakRssBytes: number;
    pandas: string;
    pyarrow: string;
    stringStorage: string;
  }>(python, [path.join(__dirname, 'seed_validate_new_file.py'), file]);
  return {
    name: `seed Lambda code, pandas ${report.pandas} + pyarrow ${report.pyarrow}`,
    seconds: report.seconds,
    rows: report.rows,
    peakRssBytes: report.peakRssBytes,
    outcome: `${report.errors.length} error(s); strings stored by ${report.stringStorage}`,
  };
}

function validator(file: string): Measurement {
  const report = childReport<{ rows: number; errorCount: number; seconds: number; peakRssBytes: number }>(process.execPath, [
    '--require',
    path.join(__dirname, 'register.js'),
    path.join(__dirname, 'validate-file.ts'),
    file,
  ]);
  return {
    name: 'validateStream (orders contract)',
    seconds: report.seconds,
    rows: report.rows,
    peakRssBytes: report.peakRssBytes,
    outcome: `${report.errorCount} violation(s)`,
  };
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const ratio = (value: number) => `${value.toFixed(value < 0.1 ? 3 : 2)}×`;

function printTable(bytes: number, measurements: Measurement[]) {
  const rows = measurements.map((m) => [
    m.name,
    (bytes / 1e6 / m.seconds).toFixed(1),
    m.rows === undefined ? '-' : Math.round(m.rows / m.seconds).toLocaleString('en-US'),
    m.peakRssBytes === undefined ? '-' : megabytes(m.peakRssBytes),
    m.seconds.toFixed(2),
    m.outcome,
  ]);
  const table = [['', 'MB/s', 'rows/s', 'peak RSS', 'seconds', 'outcome'], ...rows];
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  for (const row of table) {
    console.log(
      row
        .map((cell, column) => (column === 0 || column === 5 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
        .join('  ')
        .trimEnd(),
    );
  }
}

async function run() {
  const { file, bytes } = await csvUnderTest();
  const python = benchPython();
  await readWhole(file);

  const raw = await rawRead(file);
  const pandas = seedPandas(file, python);
  const ours = validator(file);

  console.log(`\n${file}: ${megabytes(bytes)}, ${ours.rows?.toLocaleString('en-US')} data rows`);
  // Other work on the machine slows every reader, pandas and the validator alike: say how loaded it was.
  const [oneMinute, fiveMinutes] = os.loadavg().map((load) => load.toFixed(2));
  console.log(`${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} core(s), ${megabytes(os.totalmem())} memory, Node ${process.version}`);
  console.log(`load average at the end: ${oneMinute} (1 min), ${fiveMinutes} (5 min)\n`);
  printTable(bytes, [raw, pandas, ours]);

  const throughputVsPandas = pandas.seconds / ours.seconds;
  const throughputVsRaw = raw.seconds / ours.seconds;
  const rssVsPandas = (ours.peakRssBytes as number) / (pandas.peakRssBytes as number);
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  console.log(`\nvalidator / pandas:   throughput ${ratio(throughputVsPandas)}, peak RSS ${ratio(rssVsPandas)}`);
  console.log(`validator / raw read: throughput ${ratio(throughputVsRaw)}`);
  console.log(
    `targets: throughput at least pandas' ${verdict(throughputVsPandas >= 1)}; ` +
      `peak RSS at most 1/10 of pandas' ${verdict(rssVsPandas <= 0.1)}; ` +
      `within 2× of the raw read ${verdict(throughputVsRaw >= 0.5)}`,
  );
}

run().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
