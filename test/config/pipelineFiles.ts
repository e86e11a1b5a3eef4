import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const samples = path.join(__dirname, '../../config/pipelines');
const fixtures = path.join(__dirname, 'fixtures');

/** The sample pipeline that ships with the project, written as a step list; broken variants are edits of it. */
export const sampleOrdersYaml = fs.readFileSync(path.join(samples, 'orders.yaml'), 'utf8');

/** The same pipeline as files were written before step lists (its own sections, a `steps:` map of options). */
export const legacyOrdersYaml = fs.readFileSync(path.join(fixtures, 'orders.legacy.yaml'), 'utf8');

/**
 * The sample pipeline's YAML, edited, in a folder of its own: the files it names beside it (its DDL, its Glue
 * script) are named by their absolute paths, so the copy runs on the local stack like the original.
 */
export function sampleOrdersElsewhere(change: (text: string) => string = (text) => text): string {
  return ordersElsewhere(sampleOrdersYaml, samples, change);
}

/** The legacy sample, edited, as orders.yaml in a folder of its own, its files named by their absolute paths. */
export function legacyOrdersElsewhere(change: (text: string) => string = (text) => text): string {
  return ordersElsewhere(legacyOrdersYaml, fixtures, change);
}

function ordersElsewhere(yaml: string, folder: string, change: (text: string) => string): string {
  const text = yaml.replace(/(localScript|ddl): (\S+)/g, (_line, key: string, file: string) => `${key}: ${path.resolve(folder, file)}`);
  return configDirWith({ 'orders.yaml': change(text) });
}

/** The sample's `schedule:` block, up to the next top-level key or the end of the file. */
export const sampleOrdersSchedule = /^schedule:\n(?:(?: .*)?\n)*/m.exec(sampleOrdersYaml)![0];

/** A fresh folder under the OS temp dir holding the given files (name -> content). */
export function configDirWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'etl-config-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Replaces `from` in `text`, failing loudly if it is not there exactly once, so a broken case never silently tests the sample. */
export function edit(text: string, from: string, to: string): string {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`expected ${JSON.stringify(from)} exactly once, found it ${parts.length - 1} times`);
  return parts.join(to);
}

/** The 1-based number of the only line containing `fragment` (or matching it, for a RegExp). */
export function lineOf(text: string, fragment: string | RegExp): number {
  const matches = (line: string) => (typeof fragment === 'string' ? line.includes(fragment) : fragment.test(line));
  const lines = text.split('\n').flatMap((line, index) => (matches(line) ? [index + 1] : []));
  if (lines.length !== 1) throw new Error(`expected ${String(fragment)} on exactly one line, found ${lines.length}`);
  return lines[0];
}
