import type { PipelineConfig } from '../config/schema';
import type { Trigger } from '../shared/pipelineRun';
import { connectClient } from './operations/connect';
import { exitCodes } from './errors';
import { outcomeLine, stepLine } from './output';
import { runLink } from './operations/runLink';
import { startOrAttach, type StartedRun } from './operations/startRun';
import { waitForRun } from './operations/waitForRun';
import type { Target } from '../target/target';

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
  const client = await connectClient(target);
  try {
    return await reportRun(target, await startOrAttach(client, { pipeline, date, trigger }, target.uiUrl), request);
  } finally {
    await client.connection.close();
  }
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
  const outcome = await waitForRun(run, (step) => say(stepLine(step)));
  say(outcomeLine(outcome));
  if (uiUrl) say(`See it in the Temporal UI: ${uiUrl}`);
  if (json) console.log(JSON.stringify({ ...summary, ...outcome }, null, 2));
  return outcome.outcome === 'succeeded' ? exitCodes.ok : exitCodes.failed;
}
