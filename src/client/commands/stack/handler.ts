import { loadAllPipelines } from '../../../config/load';
import { provisionLocalPipelines } from '../../../local/provision';
import { runsThatCannotResume, type RunThatCannotResume } from '../../../local/orphanedRuns';
import { stackDown, stackUp, type StackUpResult } from '../../../local/stack';
import { stackLogFile } from '../../../local/stackLog';
import { readStackState, runningStack, stoppedProcesses, supervisedWorkerName, type StackState } from '../../../local/stackState';
import { schedulesUiUrl } from '../../../shared/temporalUi';
import { parseInput } from '../../errors';
import { applyLocalStackSchedules } from '../schedule/handler';

/** The shell's exit code for a command ended by Ctrl-C. */
const interruptedExitCode = 130;

/**
 * Brings the local stack up for a command, then runs `use`. Ctrl-C (SIGINT) or SIGTERM at any moment stops what
 * this command started (processes still starting, or the whole stack it started) and exits 130, so an interrupted
 * command leaves no process behind and no port taken. `afterwards: 'stop'` stops a stack this command started once
 * `use` ends; a stack that was running already is always left running.
 */
export async function withLocalStack(afterwards: 'keep' | 'stop', use: (up: StackUpResult) => Promise<void>): Promise<void> {
  const starting = new AbortController();
  let up: StackUpResult | undefined;
  let stopping: Promise<unknown> | undefined;
  const interrupt = () => {
    if (starting.signal.aborted || stopping) return;
    if (!up) return starting.abort(); // stackUp stops what it started, then rejects
    stopping = up.started ? stackDown() : Promise.resolve();
    void stopping.finally(() => process.exit(interruptedExitCode));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    up = await stackUp({ signal: starting.signal });
    printStackUp(up);
    try {
      await use(up);
    } finally {
      if (afterwards === 'stop' && up.started && !stopping) await stackDown();
    }
  } catch (err) {
    // What was cut short by the interruption fails too: the stack is being stopped, and that is the outcome.
    if (!starting.signal.aborted && !stopping) throw err;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  if (starting.signal.aborted || stopping) {
    await stopping;
    process.exit(interruptedExitCode);
  }
}

function printStackUp({ restarted, ended }: StackUpResult) {
  if (restarted.length) console.log(`Restarted what had stopped of the local stack: ${restarted.join(', ')}.`);
  if (ended.length) {
    console.log(`Terminated runs the last stack left open that could not resume (their files, Glue run or statement were lost with it): ${describeRuns(ended)}`);
  }
}

function describeRuns(runs: RunThatCannotResume[]): string {
  return runs.map((run) => `${run.workflowId} (at ${run.step ?? 'its start'})`).join(', ');
}

export async function stackUpCommand() {
  const pipelines = parseInput(() => loadAllPipelines());
  await withLocalStack('keep', async ({ state, started }) => {
    const { queueUrl } = await provisionLocalPipelines(state, pipelines);
    const scheduleLines = await applyLocalStackSchedules(pipelines);
    console.log(started ? 'Local stack started.' : 'Local stack already running.');
    printStack(state);
    console.log(`  pipelines      ${pipelines.map((p) => p.name).join(', ')} (bucket, topics, Glue job, Redshift table and views provisioned)`);
    console.log(`  schedules      ${schedulesUiUrl(state.temporal.uiUrl, state.temporal.namespace)}`);
    for (const line of scheduleLines) console.log(`                 ${line}`);
    console.log(`  notifications  read them from the SQS queue ${queueUrl}`);
    console.log(`  log            ${stackLogFile} (starts, stops, worker restarts)`);
    console.log('Stop it with `etl stack down`.');
  });
}

export async function stackDownCommand() {
  const running = runningStack();
  const lost = running ? await runsThatCannotResume(running.temporal.address, running.temporal.namespace) : [];
  if (lost.length) {
    console.log(
      `Open runs whose files, Glue run or statement stop with the stack (the next \`etl stack up\` ends them; \`etl run\` runs their dates again): ${describeRuns(lost)}`,
    );
  }
  const { stopped, leftAlone } = await stackDown();
  for (const p of leftAlone) {
    console.log(`Left pid ${p.pid} running: it is not the ${p.name} the stack started (another process has that pid now).`);
  }
  if (stopped.length) console.log(`Stopped ${stopped.map((p) => p.name).join(', ')}.`);
  else if (!leftAlone.length) console.log('The local stack was not running.');
}

export async function stackStatusCommand() {
  const state = readStackState();
  if (!state) {
    console.log('The local stack is not running. Start it with `etl stack up`.');
    process.exitCode = 1;
    return;
  }
  const stopped = stoppedProcesses(state);
  for (const p of state.processes) {
    const supervised = p.name === supervisedWorkerName ? ' (restarted when it dies)' : '';
    console.log(`  ${p.name.padEnd(12)} pid ${p.pid} ${stopped.includes(p) ? 'STOPPED' : 'running'}${supervised}  log ${p.logFile}`);
  }
  if (!state.ready) {
    console.log('The local stack is starting, or its start was cut short: `etl stack down` stops what it started.');
    process.exitCode = 1;
  } else if (!stopped.length) {
    printStack(state);
  } else {
    console.log('Part of the local stack has stopped: `etl stack up` starts it again.');
    process.exitCode = 1;
  }
}

function printStack(state: StackState) {
  console.log(`  Temporal       ${state.temporal.address} (namespace ${state.temporal.namespace})`);
  console.log(`  Temporal UI    ${state.temporal.uiUrl}`);
  console.log(`  S3, SNS, SQS   ${state.aws.endpoints.s3} (moto)`);
  console.log(`  Glue, Redshift ${state.emulatorUrl} (emulator)`);
  console.log(`  Metrics        ${state.metricsUrl} (the worker's, for Prometheus)`);
  if (state.codecServerUrl) console.log(`  Codec server   ${state.codecServerUrl} (the UI decrypts payloads through it)`);
}
