import { loadAllPipelines } from '../../config/load';
import { provisionLocalPipelines } from '../../local/provision';
import { stackDown, stackUp } from '../../local/stack';
import { readStackState, runningStack, type StackState } from '../../local/stackState';
import { isRunning } from '../../local/processes';
import { schedulesUiUrl } from '../../shared/temporalUi';
import { parseInput } from '../errors';
import { applyLocalStackSchedules } from './schedule';

export async function stackUpCommand() {
  const pipelines = parseInput(() => loadAllPipelines());
  const { state, started, terminated } = await stackUp();
  const { queueUrl } = await provisionLocalPipelines(state, pipelines);
  const scheduleLines = await applyLocalStackSchedules(pipelines);
  console.log(started ? 'Local stack started.' : 'Local stack already running.');
  if (terminated.length) console.log(`  Terminated runs the last stack left open (they could not finish): ${terminated.join(', ')}`);
  printStack(state);
  console.log(`  pipelines      ${pipelines.map((p) => p.name).join(', ')} (bucket, topics, Glue job, Redshift table and views provisioned)`);
  console.log(`  schedules      ${schedulesUiUrl(state.temporal.uiUrl, state.temporal.namespace)}`);
  for (const line of scheduleLines) console.log(`                 ${line}`);
  console.log(`  notifications  read them from the SQS queue ${queueUrl}`);
  console.log('Stop it with `etl stack down`.');
}

export async function stackDownCommand() {
  const stopped = await stackDown();
  console.log(stopped.length ? `Stopped ${stopped.map((p) => p.name).join(', ')}.` : 'The local stack was not running.');
}

export async function stackStatusCommand() {
  const state = readStackState();
  if (!state) {
    console.log('The local stack is not running. Start it with `etl stack up`.');
    process.exitCode = 1;
    return;
  }
  for (const p of state.processes) console.log(`  ${p.name.padEnd(10)} pid ${p.pid} ${isRunning(p.pid) ? 'running' : 'STOPPED'}  log ${p.logFile}`);
  if (runningStack()) {
    printStack(state);
  } else {
    console.log('Part of the local stack has stopped: run `etl stack down` then `etl stack up`.');
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
