import { z } from 'zod';
import type { ConfigIssue } from './configError';
import type { KeyLocation } from './yamlSource';

const expectedWording: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping of keys',
  record: 'a mapping of keys',
  array: 'a list',
};

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return typeof value === 'string' || typeof value === 'number' ? `${typeof value} ${JSON.stringify(value)}` : String(value);
}

function allowedKeys(schema: unknown): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodRecord && schema.keyType instanceof z.ZodEnum) return schema.keyType.options.map(String);
  return [];
}

function plural(count: number | bigint, noun: string): string {
  return `${count} ${noun}${Number(count) === 1 ? '' : 's'}`;
}

/** "3 characters", "1 item", or the plain number for numeric bounds. */
function sizeWording(origin: string, bound: number | bigint): string {
  if (origin === 'string') return plural(bound, 'character');
  if (origin === 'array') return plural(bound, 'item');
  return String(bound);
}

/**
 * Zod's default messages name types ("expected string, received undefined"); these name what to write in YAML.
 * Messages the schema sets itself (such as "must be an iam ARN") take precedence over this map.
 */
export const yamlWording: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = expectedWording[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return `missing (expected ${expected})`;
      if (issue.input === null) return `empty (expected ${expected})`;
      return `must be ${expected}, not ${describeValue(issue.input)}`;
    }
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      if (issue.exact) return `must be exactly ${sizeWording(issue.origin, issue.minimum)}`;
      return issue.inclusive === false ? `must be more than ${issue.minimum}` : `must be at least ${sizeWording(issue.origin, issue.minimum)}`;
    case 'too_big':
      if (issue.exact) return `must be exactly ${sizeWording(issue.origin, issue.maximum)}`;
      return issue.inclusive === false ? `must be less than ${issue.maximum}` : `must be at most ${sizeWording(issue.origin, issue.maximum)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'unrecognized_keys': {
      const allowed = allowedKeys(issue.inst);
      return allowed.length > 0 ? `unknown key (expected one of: ${allowed.join(', ')})` : 'unknown key';
    }
    default:
      return undefined;
  }
};

/** "steps[2].copy.iamRole", "steps[0].contract.columns[2].type". */
export function keyPath(path: readonly PropertyKey[]): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`)).join('');
}

/**
 * One ConfigIssue per problem, in file order, problems at keys present in the file first:
 * for a typo such as "jobname" the unknown key explains more than the missing "jobName".
 */
export function toConfigIssues(issues: readonly z.core.$ZodIssue[], locate: (path: readonly PropertyKey[]) => KeyLocation): ConfigIssue[] {
  const located = issues.flatMap((issue): { path: PropertyKey[]; problem: string }[] => {
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ path: [...issue.path, key], problem: issue.message }));
      case 'invalid_key':
        // The reason lives in the nested issues, about the key text itself.
        return [{ path: issue.path, problem: issue.issues[0]?.message ?? issue.message }];
      default:
        return [{ path: issue.path, problem: issue.message }];
    }
  });
  return located
    .map(({ path, problem }) => ({ ...locate(path), key: keyPath(path) || undefined, problem }))
    .sort((a, b) => Number(b.present) - Number(a.present) || a.line - b.line)
    .map(({ line, key, problem }) => ({ line, key, problem }));
}
