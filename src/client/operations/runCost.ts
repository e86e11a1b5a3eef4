import type { Client } from '@temporalio/client';
import type { PipelineConfig } from '../../config/schema';
import { roundedAmount, type GlueRunCost } from '../../shared/glueCost';
import { pipelineRunTypes, workflowTypeIn } from '../../shared/ids';
import { stepsOfKind } from '../../shared/pipelineSteps';
import type { CompletedSteps, Trigger } from '../../shared/pipelineRun';
import { searchAttributes } from '../../shared/searchAttributes';
import { boundedMap } from '../../shared/boundedMap';
import { recordedSteps } from './recordedRun';

/** What a run's Glue steps are estimated to have cost, in one currency. */
export type RunCost = Pick<GlueRunCost, 'amount' | 'currency'>;

/**
 * The sum of the estimated costs the run's completed steps recorded (each Glue step records one); undefined when
 * none did, as for runs recorded before the estimate existed, or when they are in more than one currency.
 */
export function runCost(completed: CompletedSteps): RunCost | undefined {
  const costs = Object.values(completed).flatMap((result) => (result && 'estimatedCost' in result && result.estimatedCost ? [result.estimatedCost] : []));
  if (costs.length === 0 || costs.some(({ currency }) => currency !== costs[0].currency)) return undefined;
  const amount = costs.reduce((sum, cost) => sum + cost.amount, 0);
  return { amount: roundedAmount(amount), currency: costs[0].currency };
}

/** The runs' results read at once at most: each is a history read from the Temporal server. */
const readsAtOnce = 8;

/** Each run that succeeded or failed with its cost, read from the results it recorded; the other runs as they are. */
export async function withRunCosts<T extends { outcome: string; workflowId?: string; runId?: string }>(
  client: Client,
  runs: T[],
): Promise<(T & { cost?: RunCost })[]> {
  return boundedMap(runs, readsAtOnce, async (run) => {
    if (!run.workflowId || !run.runId || (run.outcome !== 'succeeded' && run.outcome !== 'failed')) return run;
    const cost = runCost((await recordedSteps(client, run.workflowId, run.runId)).completed);
    return cost ? { ...run, cost } : run;
  });
}

/** How many of a pipeline's latest succeeded runs an estimate averages. */
const runsPerEstimate = 10;

/** What running more dates would cost: the average of recent runs' costs, times the dates. */
export interface CostEstimate {
  total: RunCost;
  perDate: RunCost;
  /** How many runs the average is of. */
  fromRuns: number;
  /** When the runs averaged are of one trigger only. */
  trigger?: Trigger;
}

/**
 * The cost of running `dates` dates of the pipeline from the average of its latest succeeded runs that recorded a
 * cost; undefined when none did. A backfill that has Glue settings of its own is estimated from earlier backfills,
 * which ran on them, when there are any.
 */
export async function backfillCostEstimate(client: Client, pipeline: PipelineConfig, dates: number): Promise<CostEstimate | undefined> {
  const ownSettings = stepsOfKind(pipeline, 'glue').some((glue) => glue.forTrigger?.backfill !== undefined);
  const backfills = ownSettings ? await latestRunCosts(client, pipeline.name, 'backfill') : [];
  const costs = backfills.length ? backfills : await latestRunCosts(client, pipeline.name);
  if (costs.length === 0) return undefined;
  const { currency } = costs[0];
  const average = costs.reduce((sum, cost) => sum + cost.amount, 0) / costs.length;
  return {
    perDate: { amount: roundedAmount(average), currency },
    total: { amount: roundedAmount(average * dates), currency },
    fromRuns: costs.length,
    ...(backfills.length && { trigger: 'backfill' as const }),
  };
}

/** The costs of the pipeline's latest succeeded runs (of `trigger`, if given), newest first, in the newest one's currency. */
async function latestRunCosts(client: Client, pipeline: string, trigger?: Trigger): Promise<RunCost[]> {
  const { pipeline: pipelineKey, outcome, trigger: triggerKey } = searchAttributes;
  const query =
    `${workflowTypeIn(pipelineRunTypes)} AND ${pipelineKey.name} = '${pipeline}' AND ${outcome.name} = 'succeeded'` +
    (trigger ? ` AND ${triggerKey.name} = '${trigger}'` : '');
  // Runs recorded before the estimate existed have none: a few more are read in their place.
  const candidates: { workflowId: string; runId: string }[] = [];
  for await (const run of client.workflow.list({ query })) {
    candidates.push({ workflowId: run.workflowId, runId: run.runId });
    if (candidates.length === runsPerEstimate * 3) break;
  }
  const read = await boundedMap(candidates, readsAtOnce, async ({ workflowId, runId }) => runCost((await recordedSteps(client, workflowId, runId)).completed));
  const costs = read.filter((cost) => cost !== undefined);
  return costs.filter((cost) => cost.currency === costs[0].currency).slice(0, runsPerEstimate);
}
