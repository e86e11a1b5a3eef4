import { InvalidDateError, parseRunDate } from '../shared/dates';
import type { Trigger } from '../shared/pipelineRun';
import { parsePipeline } from './schema';
import { keyPath, yamlWording } from './schemaIssues';

const triggers = { schedule: true, manual: true, backfill: true } satisfies Record<Trigger, true>;

/** What is wrong with a run's input, in one line; undefined when the run can go ahead. */
export function runInputProblem(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return 'expected { pipeline, date, trigger }';
  const { pipeline, date, trigger } = input as Record<string, unknown>;
  try {
    parseRunDate(typeof date === 'string' ? date : String(date));
  } catch (err) {
    if (!(err instanceof InvalidDateError)) throw err;
    return `date ${err.message}`;
  }
  if (typeof trigger !== 'string' || !Object.keys(triggers).includes(trigger)) {
    return `trigger ${JSON.stringify(trigger)} is not one of ${Object.keys(triggers).join(', ')}`;
  }
  // The same schema as the config files: a client that skipped the loader gets the loader's verdict.
  const config = parsePipeline(pipeline, { error: yamlWording });
  if (!config.success) {
    const [issue] = config.error.issues;
    return `pipeline config: ${keyPath(issue.path) || 'the whole config'}: ${issue.message}`;
  }
  return undefined;
}
