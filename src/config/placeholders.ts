import { placeholderPattern, runPlaceholderNames } from '../shared/dates';
import { archivePrefix, type Problem } from './schema';

const prefixNames = ['raw', 'validated', 'errors', 'processed', 'archive'] as const;

const shown = (names: readonly string[]) => names.map((name) => `{{${name}}}`).join(', ');

/** Placeholder name -> the key it stands for and that key's value (undefined when the file does not set it). */
type Values = Map<string, { key: string; value: string | undefined }>;

/** Where a step's texts that a run renders with its date lie, below the step (or a legacy file's section); `*` is any job argument or partition value. */
const perRunInStep = ['arguments.*', 'copy.source', 'output', 'values.*', 'location'].map((pattern) => pattern.split('.'));

function isPerRunInStep(keys: readonly PropertyKey[]): boolean {
  return perRunInStep.some((pattern) => pattern.length === keys.length && pattern.every((part, at) => part === '*' || part === String(keys[at])));
}

/** The texts a run renders with its date; anywhere else a `{{date}}` would reach AWS as written. */
function isRenderedPerRun(path: readonly PropertyKey[]): boolean {
  const [section, index, ...rest] = path;
  if (section === 'steps' && typeof index === 'number') return isPerRunInStep(rest);
  return (section === 'glue' && isPerRunInStep(path.slice(1))) || path.join('.') === 'redshift.copy.source';
}

/** The values the others are made of take only `{{name}}`: a bucket or prefix made of prefixes would go round in circles. */
function isSource(path: readonly PropertyKey[]): boolean {
  return path.join('.') === 's3.bucket' || (path[0] === 's3' && path[1] === 'prefixes' && path.length === 3);
}

function knownAt(path: readonly PropertyKey[], values: Values): { names: string[]; help: string } {
  if (path.join('.') === 'name') return { names: [], help: 'name takes no placeholders: write the pipeline name itself' };
  if (isSource(path)) return { names: ['name'], help: 's3.bucket and s3.prefixes take only {{name}}' };
  const loadTime = [...values.keys()];
  if (isRenderedPerRun(path)) {
    const names = [...loadTime, ...runPlaceholderNames];
    return { names, help: `known placeholders: ${shown(names)}` };
  }
  const perRun = `${shown(runPlaceholderNames)} are replaced per run, only in a glue step's arguments and output, a load step's copy.source and a partitions step's values and location`;
  return { names: loadTime, help: `known placeholders: ${shown(loadTime)}; ${perRun}` };
}

function expandText(text: string, path: readonly PropertyKey[], values: Values, problems: Problem[]): string {
  const known = knownAt(path, values);
  return text.replace(placeholderPattern, (placeholder, name: string) => {
    if (!known.names.includes(name)) {
      problems.push({ path: [...path], message: `unknown placeholder ${placeholder} (${known.help})` });
      return placeholder;
    }
    const loadTime = values.get(name);
    if (!loadTime) return placeholder; // a run placeholder: each run replaces it
    if (loadTime.value === undefined) {
      const message = `${placeholder} stands for ${loadTime.key}, which is not set: set ${loadTime.key}`;
      problems.push({ path: [...path], message });
      return placeholder;
    }
    return loadTime.value;
  });
}

function expandValue(value: unknown, path: PropertyKey[], values: Values, problems: Problem[]): unknown {
  if (typeof value === 'string') return expandText(value, path, values, problems);
  if (Array.isArray(value)) return value.map((item, index) => expandValue(item, [...path, index], values, problems));
  if (isRecord(value)) {
    const entries = Object.entries(value).map(([key, item]) => [key, expandValue(item, [...path, key], values, problems)]);
    return Object.fromEntries(entries);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const textOrUndefined = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The placeholders' values as the file sets them, with `{{name}}` already replaced in the bucket and prefixes. */
function placeholderValues(data: Record<string, unknown>): Values {
  const name = textOrUndefined(data.name);
  const s3 = isRecord(data.s3) ? data.s3 : {};
  const prefixes = isRecord(s3.prefixes) ? s3.prefixes : {};
  const nameOnly: Values = new Map([['name', { key: 'name', value: name }]]);
  const withName = (value: unknown, key: string) => {
    const text = textOrUndefined(value);
    return { key, value: text === undefined ? undefined : expandText(text, key.split('.'), nameOnly, []) };
  };
  // Archive has a default, and a placeholder stands for the prefix the pipeline uses.
  const archive = prefixes.archive ?? (name === undefined ? undefined : archivePrefix({ name, s3: { prefixes: {} } }));
  const prefix = (prefixName: (typeof prefixNames)[number]) => withName(prefixName === 'archive' ? archive : prefixes[prefixName], `s3.prefixes.${prefixName}`);
  return new Map([
    ...nameOnly,
    ['bucket', withName(s3.bucket, 's3.bucket')],
    ...prefixNames.map((prefixName) => [`prefixes.${prefixName}`, prefix(prefixName)] as const),
  ]);
}

/**
 * The parsed file with the placeholders that let the bucket and prefixes be written once replaced, before it is
 * validated: `{{name}}`, `{{bucket}}` (s3.bucket), `{{prefixes.raw}}` … `{{prefixes.archive}}` (s3.prefixes;
 * archive's default when the file sets none). The run placeholders (`{{date}}`, `{{date_nodash}}`) are left for
 * each run to replace. Each unknown or unset placeholder is a problem at its key.
 */
export function expandPlaceholders(data: unknown): { data: unknown; problems: Problem[] } {
  if (!isRecord(data)) return { data, problems: [] };
  const problems: Problem[] = [];
  return { data: expandValue(data, [], placeholderValues(data), problems), problems };
}
