import { loadPipeline } from '../../../config/load';
import type { PipelineConfig } from '../../../config/schema';
import { parseRunDate } from '../../../shared/dates';
import type { Trigger } from '../../../shared/pipelineRun';
import { resolveTarget, type Target } from '../../../target/target';
import { exitCodes, parseInput } from '../../errors';
import { withClient } from '../../operations/connect';
import { runLink } from '../../operations/runLink';
import { startOrAttach, type StartedRun } from '../../operations/startRun';
import { waitForRun } from '../../operations/waitForRun';
import { outcomeLine, stepLine } from './output';

export async function runCommand(options: { pipeline: string; date: string; wait: boolean; json: boolean; configDir?: string }) {
  const pipeline = parseInput(() => loadPipeline(options.pipeline, options.configDir));
  const date = parseInput(() => parseRunDate(options.date));
  const target = resolveTarget();
  await target.prepare([pipeline]);
  process.exitCode = await runPipeline(target, { pipeline, date, trigger: 'manual', wait: options.wait, json: options.json });
}

export interface RunRequest {
  pipeline: PipelineConfig;
  date: string;
  trigger: Trigger;
  wait: boolean;
  json: boolean;
}

/** Starts (or attaches to) a date's run, optionally waits for it, prints what happened; returns the exit code. */
export async function runPipeline(target: Target, request: RunRequest): Promise<number> {
  const { pipeline, date, trigger } = request;
  return withClient(target, async (client) => reportRun(target, await startOrAttach(client, { pipeline, date, trigger }, target.uiUrl), request));
}

/** Prints the started (or attached) run; with `wait`, each step as it finishes and the outcome. Returns the exit code. */
export async function reportRun(target: Target, run: StartedRun, request: Omit<RunRequest, 'trigger'>): Promise<number> {
  const { pipeline, date, wait, json } = request;
  const say = (line: string) => json || console.log(line);
  const uiUrl = runLink(target.uiUrl, target.namespace, run);
  const summary = { workflowId: run.workflowId, runId: run.runId, attached: run.attached, uiUrl };
  say(`${run.attached ? 'Attached to the run already open' : 'Started run'} for ${pipeline.name} ${date}: ${run.workflowId}`);
  if (uiUrl) say(`Temporal UI: ${uiUrl}`);
  if (!wait) {
    if (json) console.log(JSON.stringify({ ...summary, outcome: 'running' }, null, 2));
    return exitCodes.ok;
  }
  const outcome = await waitForRun(run, (step, steps) => say(stepLine(step, steps)));
  say(outcomeLine(outcome));
  if (uiUrl) say(`See it in the Temporal UI: ${uiUrl}`);
  if (json) console.log(JSON.stringify({ ...summary, ...outcome }, null, 2));
  return outcome.outcome === 'succeeded' ? exitCodes.ok : exitCodes.failed;
}
