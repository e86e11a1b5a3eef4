import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { msToNumber } from '@temporalio/common';
import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun, type ClosedPipelineRun } from '../../src/client/operations/waitForRun';
import type { PipelineConfig } from '../../src/config/schema';
import type { StepKind } from '../../src/steps/registry';
import { redshiftOf } from '../../src/shared/activityInputs';
import { eventually } from '../support/processes';
import { stepOf, withStep } from '../support/pipelines';
import { landSampleFiles, type DrillStack } from './drillStack';

/**
 * How a drill catches a step half done, so the worker can be killed there: what the pipeline needs for it, and
 * the sign that the step is under way. Shared by the drills and the resumption benchmark.
 */
export interface KillPoint {
  /** The pipeline as this step's drill runs it. */
  pipeline(base: PipelineConfig, stack: DrillStack): PipelineConfig;
  /** Set up before the run starts; resolves once the step is under way. Lets it go on after the kill, if it waits for that. */
  arm(stack: DrillStack, pipeline: PipelineConfig): Promise<{ reached: Promise<unknown>; afterKill?: () => Promise<void> | void }>;
}

export interface KilledRun {
  outcome: ClosedPipelineRun;
  /** From the replacement worker's start (once it said so) to the run's end. */
  completedInMs: number;
}

/**
 * Lands the sample files for the date and runs it; once `step` is under way the worker is SIGKILLed and another
 * started. The stack's last worker must be running.
 */
export async function killWorkerDuring(stack: DrillStack, base: PipelineConfig, date: string, step: StepKind): Promise<KilledRun> {
  const killPoint = killPoints[step];
  if (!killPoint) throw new Error(`no drill kills a worker during a ${step} step: the sample pipeline has none`);
  const pipeline = killPoint.pipeline(base, stack);
  await stack.provision(pipeline);
  await landSampleFiles(stack.aws, pipeline, date);
  const { reached, afterKill } = await killPoint.arm(stack, pipeline);
  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  await reached;
  await stack.killWorker();
  await afterKill?.();
  await stack.startWorker();
  const replacedAt = Date.now();
  const outcome = await waitForRun(run, () => undefined, 100);
  return { outcome, completedInMs: Date.now() - replacedAt };
}

/** The pipeline with the sample Glue job held back until the release file exists (jobScripts/heldSampleJob.sh), as a job of its own. */
export function withHeldGlueJob(pipeline: PipelineConfig, releaseFile: string): PipelineConfig {
  const glue = stepOf(pipeline, 'glue');
  return withStep(pipeline, 'glue', {
    jobName: `${glue.jobName}-held`,
    localScript: join(__dirname, 'jobScripts/heldSampleJob.sh'),
    arguments: { ...glue.arguments, '--release_file': releaseFile },
  });
}

/** How long a held statement waits, in its pipeline's polls: long enough to kill the worker while it waits on it. */
const statementHoldMs = 3_000;

/** Where a worker dies during each kind of step the sample pipeline has. */
export const killPoints: Partial<Record<StepKind, KillPoint>> = {
  // moto sends half of the first file, then nothing more: the worker dies with the file half read.
  validate: {
    pipeline: (base) => base,
    arm: async (stack) => ({ reached: stack.proxy.hold('S3.GetObject', { midAnswer: true }).reached }),
  },
  // The Glue job's script runs until the drill writes its release file, after the kill.
  glue: {
    pipeline: (base, stack) => withHeldGlueJob(base, releaseFile(stack, base)),
    arm: async (stack, pipeline) => ({
      reached: eventually(
        'the Glue run to be running',
        async () => {
          const { runs } = (await stack.control.recorded()).glue;
          return (
            runs.some((run) => run.arguments['--release_file'] === stepOf(pipeline, 'glue').arguments['--release_file'] && run.state === 'RUNNING') || undefined
          );
        },
        1200,
      ),
      afterKill: () => writeFileSync(stepOf(pipeline, 'glue').arguments['--release_file'], ''),
    }),
  },
  load: heldStatement('^COPY '),
  refresh: heldStatement('^REFRESH MATERIALIZED VIEW'),
  // The Publish is held before it reaches SNS: the dead worker's request never arrives.
  notify: {
    pipeline: (base) => base,
    arm: async (stack) => ({ reached: stack.proxy.hold('Publish').reached }),
  },
};

/**
 * The statements whose SQL matches run only after a few polls, at least a second apart; the kill must land while
 * the statement waits, and the run resumes it on the new worker.
 */
function heldStatement(match: string): KillPoint {
  const sql = new RegExp(match, 'i');
  const matching = async (stack: DrillStack, after: number) =>
    (await stack.control.recorded()).redshift.statements.slice(after).find((statement) => statement.sqls.some((text) => sql.test(text)));
  return {
    pipeline: (base) => (msToNumber(redshiftOf(base).pollInterval) >= 1_000 ? base : { ...base, redshift: { ...redshiftOf(base), pollInterval: '1s' } }),
    arm: async (stack, pipeline) => {
      const pollsUntilDone = Math.max(3, Math.ceil(statementHoldMs / msToNumber(redshiftOf(pipeline).pollInterval)));
      await stack.control.setRedshiftRules([{ match, pollsUntilDone }]);
      // Statements of earlier runs are in the recording too.
      const earlier = (await stack.control.recorded()).redshift.statements.length;
      return {
        reached: eventually(`a statement matching /${match}/`, () => matching(stack, earlier), 1200),
        afterKill: async () => {
          await stack.control.setRedshiftRules([]);
          const { status } = (await matching(stack, earlier))!;
          if (['FINISHED', 'FAILED', 'ABORTED'].includes(status))
            throw new Error(`the statement ended ${status} before the worker was killed: the kill missed the step`);
        },
      };
    },
  };
}

function releaseFile(stack: DrillStack, pipeline: PipelineConfig): string {
  return join(stack.work, `release-${pipeline.name}-${Date.now()}`);
}
