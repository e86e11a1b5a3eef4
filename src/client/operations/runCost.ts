import type { Client } from '@temporalio/client';
import type { GlueRunCost } from '../../shared/glueCost';
import type { CompletedSteps } from '../../shared/pipelineRun';
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
  return { amount: Math.round(amount * 1e6) / 1e6, currency: costs[0].currency };
}

/** The runs' results read at once at most: each is a history read from the Temporal server. */
const readsAtOnce = 8;

/** Each run that succeeded or failed with its cost, read from the results it recorded; the other runs as they are. */
export async function withRunCosts<T extends { outcome: string; workflowId?: string; runId?: string }>(
  client: Client,
  runs: T[],
): Promise<(T & { cost?: RunCost })[]> {
  const costed: (T & { cost?: RunCost })[] = [...runs];
  const pending = runs.flatMap((run, index) => (run.workflowId && run.runId && (run.outcome === 'succeeded' || run.outcome === 'failed') ? [index] : []));
  const readNext = async (): Promise<void> => {
    const index = pending.shift();
    if (index === undefined) return;
    const { workflowId, runId } = runs[index];
    const cost = runCost((await recordedSteps(client, workflowId!, runId!)).completed);
    if (cost) costed[index] = { ...runs[index], cost };
    await readNext();
  };
  await Promise.all(Array.from({ length: readsAtOnce }, readNext));
  return costed;
}
