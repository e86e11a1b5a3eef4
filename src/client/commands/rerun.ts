import { loadPipeline } from '../../config/load';
import type { StepName } from '../../config/schema';
import { parseRunDate } from '../../shared/dates';
import type { ReusableStep } from '../../shared/pipelineRun';
import { connectClient } from '../operations/connect';
import { parseInput } from '../errors';
import { startRerun } from '../operations/rerun';
import { reportRun } from './run/handler';
import { resolveTarget } from '../../target/target';

export async function rerunCommand(options: { pipeline: string; date: string; fromStep?: StepName; wait: boolean; json: boolean; configDir?: string }) {
  const pipeline = parseInput(() => loadPipeline(options.pipeline, options.configDir));
  const date = parseInput(() => parseRunDate(options.date));
  const target = resolveTarget();
  await target.prepare([pipeline]);
  const client = await connectClient(target);
  try {
    const { run, reuse } = await startRerun(client, target, { pipeline, date, fromStep: options.fromStep });
    if (reuse && !options.json) {
      const steps = Object.keys(reuse).filter((key): key is ReusableStep => key !== 'fromRun');
      console.log(`Reusing the confirmed results of ${steps.join(', ')} from run ${reuse.fromRun}`);
    }
    process.exitCode = await reportRun(target, run, { pipeline, date, wait: options.wait, json: options.json });
  } finally {
    await client.connection.close();
  }
}
