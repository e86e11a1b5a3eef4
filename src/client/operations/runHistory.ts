import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { addDays, datesBetween } from '../../shared/dates';
import { pipelineRunTypes, scheduledRunType, workflowTypeIn } from '../../shared/ids';
import type { Trigger } from '../../shared/pipelineRun';
import { runOutcome, type DateOutcome } from '../../shared/runOutcome';
import { searchAttributes } from '../../shared/searchAttributes';
import { runLink, type RunLinks } from './runLink';

/** The latest run of one pipeline date, as Temporal visibility reports it. */
export interface LatestDateRun {
  date: string;
  outcome: DateOutcome;
  /** The step the run was in when it closed or is now (from the EtlStep search attribute). */
  step?: string;
  trigger?: Trigger;
  workflowId?: string;
  runId?: string;
  startTime?: Date;
  closeTime?: Date;
  durationMs?: number;
}

/**
 * The visibility query for one pipeline's runs whose date lies in [from, to], and the scheduled runs that
 * skipped a date in it (only those carry a date). A half-open range, because SQL visibility stores Datetimes
 * in its own text form, where `=` and BETWEEN miss exact days.
 */
export function runsQuery(pipeline: string, from: string, to: string): string {
  const { pipeline: pipelineKey, date } = searchAttributes;
  return (
    `${workflowTypeIn([...pipelineRunTypes, scheduledRunType])} AND ${pipelineKey.name} = '${pipeline}' ` +
    `AND ${date.name} >= '${from}T00:00:00Z' AND ${date.name} < '${addDays(to, 1)}T00:00:00Z'`
  );
}

/** Every date in [from, to] with its latest run's outcome, oldest date first; dates without a run say 'neverRan'. */
export async function latestRunsByDate(client: Client, pipeline: string, from: string, to: string): Promise<LatestDateRun[]> {
  const latest = new Map<string, WorkflowExecutionInfo>();
  for await (const run of client.workflow.list({ query: runsQuery(pipeline, from, to) })) {
    const date = run.typedSearchAttributes.get(searchAttributes.date)?.toISOString().slice(0, 10);
    if (!date) continue;
    const known = latest.get(date);
    if (!known || known.startTime < run.startTime) latest.set(date, run);
  }
  return datesBetween(from, to).map((date) => {
    const run = latest.get(date);
    if (!run) return { date, outcome: 'neverRan' };
    return {
      date,
      outcome: runOutcome(run),
      step: run.typedSearchAttributes.get(searchAttributes.step),
      trigger: run.typedSearchAttributes.get(searchAttributes.trigger) as Trigger | undefined,
      workflowId: run.workflowId,
      runId: run.runId,
      startTime: run.startTime,
      closeTime: run.closeTime,
      durationMs: run.closeTime ? run.closeTime.getTime() - run.startTime.getTime() : undefined,
    };
  });
}

/** Dates from `from` to `to`, both included. */
export interface DateRange {
  from: string;
  to: string;
}

/** One date of the status grid: its latest run (if any) and that run's page in the Temporal UI. */
export interface DateStatusRow extends LatestDateRun {
  uiUrl?: string;
}

/** Each date in the range with its latest run's outcome, read from Temporal visibility; oldest date first. */
export async function runStatusByDate(client: Client, links: RunLinks, pipeline: string, { from, to }: DateRange): Promise<DateStatusRow[]> {
  const runs = await latestRunsByDate(client, pipeline, from, to);
  return runs.map((run) => {
    const { workflowId, runId } = run;
    return workflowId && runId ? { ...run, uiUrl: runLink(links.uiUrl, links.namespace, { workflowId, runId }) } : run;
  });
}
