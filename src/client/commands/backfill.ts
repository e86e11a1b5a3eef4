import { loadPipeline } from '../../config/load';
import { datesBetween, parseRunDate } from '../../shared/dates';
import type { BackfillSelection } from '../operations/backfillSelection';
import { parseInput, UsageError } from '../errors';
import { runBackfill } from '../runBackfill';
import { resolveTarget } from '../../target/target';

export interface BackfillOptions {
  pipeline: string;
  from: string;
  to: string;
  concurrency: string;
  only: BackfillSelection;
  maxDays: string;
  dryRun: boolean;
  wait: boolean;
  json: boolean;
  configDir?: string;
}

/** Checks every input before anything starts: a mistake exits 2 with one line. */
export async function backfillCommand(options: BackfillOptions) {
  const from = parseInput(() => parseRunDate(options.from));
  const to = parseInput(() => parseRunDate(options.to));
  const days = parseInput(() => datesBetween(from, to)).length;
  const maxDays = wholeNumber('--max-days', options.maxDays);
  if (days > maxDays) {
    throw new UsageError(
      `${from} to ${to} is ${days} days, more than the ${maxDays} a backfill may cover: split the range, or raise --max-days (ETL_MAX_BACKFILL_DAYS)`,
    );
  }
  const concurrency = wholeNumber('--concurrency', options.concurrency);
  const pipeline = parseInput(() => loadPipeline(options.pipeline, options.configDir));

  const target = resolveTarget();
  if (!options.dryRun) await target.prepare([pipeline]);
  process.exitCode = await runBackfill(target, { ...options, pipeline, from, to, concurrency });
}

function wholeNumber(flag: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`${flag} must be a whole number of at least 1, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}
