/**
 * How soon a run resumes after its worker dies, per step: for each step, a run of the sample orders pipeline at
 * its configured timeouts, retries and poll intervals (config/pipelines/orders.yaml) has its worker SIGKILLed
 * while the step is under way, the way the drills do it (test/drills/killPoints.ts); another worker starts, and
 * the bench prints the seconds from that worker's start to the run's end, and whether the run's effects were
 * counted once (each file validated once, one Glue run, the rows once, one notification).
 *
 *   node --require ./bench/register.js bench/resumption.ts [--steps validate,glue,load,refresh,notify]
 *
 * One stack on loopback for the whole bench (a dev server, moto, the emulator), workers built from lib/ (run
 * `npm run build` first). A step waits out its own detection of the dead worker, so the bench takes minutes.
 */
import { isDeepStrictEqual } from 'node:util';
import os from 'node:os';
import { loadPipeline } from '../src/config/load';
import type { PipelineConfig } from '../src/config/schema';
import type { StepKind } from '../src/steps/registry';
import { sampleRunEffects, startDrillStack } from '../test/drills/drillStack';
import { killWorkerDuring } from '../test/drills/killPoints';

interface Measurement {
  step: StepKind;
  seconds: number;
  outcome: string;
  countedOnce: boolean;
}

/** The steps to kill a worker during: those given with --steps, by default every step of the pipeline. */
function chosenSteps(pipeline: PipelineConfig): StepKind[] {
  const kinds = pipeline.steps.map((step) => step.kind);
  const at = process.argv.indexOf('--steps');
  if (at === -1) return kinds;
  const steps = (process.argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = steps.filter((step) => !(kinds as string[]).includes(step));
  if (!steps.length || unknown.length) throw new Error(`--steps takes a comma-separated list of ${kinds.join(', ')}; got ${process.argv[at + 1] ?? 'nothing'}`);
  return steps as StepKind[];
}

async function run(): Promise<void> {
  const pipeline = loadPipeline('orders');
  const steps = chosenSteps(pipeline);
  console.log(`Resumption after a worker SIGKILL, orders pipeline at its configured timeouts; ${os.cpus().length} cores, Node ${process.version}`);
  const stack = await startDrillStack();
  const measurements: Measurement[] = [];
  try {
    await stack.startWorker();
    for (const [index, step] of steps.entries()) {
      const date = `2024-06-${String(index + 1).padStart(2, '0')}`;
      const { outcome, completedInMs } = await killWorkerDuring(stack, pipeline, date, step);
      const countedOnce = isDeepStrictEqual(await stack.effects(pipeline, date), sampleRunEffects(date));
      measurements.push({ step, seconds: completedInMs / 1000, outcome: outcome.outcome, countedOnce });
      console.log(`killed during ${step} (${date}): the run ${outcome.outcome} ${(completedInMs / 1000).toFixed(1)}s after the new worker started`);
    }
  } finally {
    await stack.stop();
  }
  console.log('');
  console.log("killed during   seconds to the run's end from the new worker's start   outcome    effects counted once");
  for (const { step, seconds, outcome, countedOnce } of measurements) {
    console.log(`${step.padEnd(16)}${seconds.toFixed(1).padStart(7)}${''.padEnd(48)}${outcome.padEnd(11)}${countedOnce ? 'yes' : 'NO'}`);
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
