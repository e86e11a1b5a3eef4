import { loadPipeline } from '../../../config/load';
import { datesBetween, parseRunDate } from '../../../shared/dates';
import { resolveTarget, type Target } from '../../../target/target';
import { exitCodes, parseInput, UsageError } from '../../errors';
import { planBackfill, startBackfill, waitForBackfill, type BackfillRange } from '../../operations/backfill';
import type { BackfillSelection } from '../../operations/backfillSelection';
import { withClient } from '../../operations/connect';
import { runLink } from '../../operations/runLink';
import { backfillCostEstimate } from '../../operations/runCost';
import { costEstimateLine, plannedReason, rerunFailedCommand, summaryLines } from './output';
import { progressReporter } from './progress';

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

interface BackfillRequest extends BackfillRange {
  concurrency: number;
  only: BackfillSelection;
  dryRun: boolean;
  wait: boolean;
  json: boolean;
  /** Repeated in the rerun command it prints, when given. */
  configDir?: string;
}

/** Plans the backfill, then prints the plan (dry run) or starts it, optionally waits for it; returns the exit code. */
async function runBackfill(target: Target, request: BackfillRequest): Promise<number> {
  const { pipeline, from, to, only, concurrency, json } = request;
  const say = (line: string) => json || console.log(line);
  return withClient(target, async (client) => {
    const plan = await planBackfill(client, request, only);
    const range = `${pipeline.name} ${from} to ${to}`;
    if (request.dryRun) {
      // Each date with its latest run's outcome and step, as `etl status --json` has them, and the reason in words.
      const dates = plan.map((run) => ({ date: run.date, outcome: run.outcome, step: run.step, reason: plannedReason(only, run) }));
      say(`Dry run: a backfill of ${range} with --only ${only} would run ${plan.length} date(s); nothing was started.`);
      for (const { date, reason } of dates) say(`  ${date}  ${reason}`);
      const estimatedCost = plan.length ? await backfillCostEstimate(client, pipeline, plan.length) : undefined;
      if (plan.length) say(costEstimateLine(pipeline.name, plan.length, estimatedCost));
      if (json) console.log(JSON.stringify({ dryRun: true, pipeline: pipeline.name, from, to, only, dates, estimatedCost }, null, 2));
      return exitCodes.ok;
    }
    if (plan.length === 0) {
      say(`Nothing to run: no date of ${range} matches --only ${only}.`);
      if (json) console.log(JSON.stringify({ pipeline: pipeline.name, from, to, only, dates: [], outcome: 'nothingToRun' }, null, 2));
      return exitCodes.ok;
    }

    const dates = plan.map(({ date }) => date);
    const backfill = await startBackfill(client, request, dates, concurrency);
    const uiUrl = runLink(target.uiUrl, target.namespace, backfill);
    const started = { workflowId: backfill.workflowId, runId: backfill.runId, attached: backfill.attached, uiUrl, dates };
    say(
      backfill.attached
        ? `A backfill of ${range} is already running; attached to it: ${backfill.workflowId}`
        : `Started backfill of ${dates.length} date(s) of ${range}, up to ${concurrency} at once: ${backfill.workflowId}`,
    );
    if (uiUrl) say(`Temporal UI: ${uiUrl}`);
    if (!request.wait) {
      if (json) console.log(JSON.stringify({ ...started, outcome: 'running' }, null, 2));
      return exitCodes.ok;
    }

    const reporter = progressReporter(process.stdout, say);
    const outcome = await waitForBackfill(backfill, (progress) => json || reporter.update(progress)).finally(() => reporter.stop());
    const failures = outcome.outcome === 'succeeded' ? outcome.result.failures : (outcome.progress?.failures ?? []);
    const rerun = rerunFailedCommand(pipeline.name, failures, request.configDir);
    for (const line of summaryLines(pipeline.name, outcome, concurrency, rerun)) say(line);
    if (json) console.log(JSON.stringify({ ...started, ...outcome, rerunCommand: rerun }, null, 2));
    const everyDateSucceeded = outcome.outcome === 'succeeded' && failures.length === 0 && outcome.result.refresh.outcome !== 'failed';
    return everyDateSucceeded ? exitCodes.ok : exitCodes.failed;
  });
}
