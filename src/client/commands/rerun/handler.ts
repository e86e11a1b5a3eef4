import { loadPipeline } from '../../../config/load';
import type { StepName } from '../../../config/schema';
import { parseRunDate } from '../../../shared/dates';
import type { ReusableStep } from '../../../shared/pipelineRun';
import { resolveTarget } from '../../../target/target';
import { parseInput } from '../../errors';
import { withClient } from '../../operations/connect';
import { startRerun } from '../../operations/rerun';
import { reportRun } from '../run/handler';

export async function rerunCommand(options: { pipeline: string; date: string; fromStep?: StepName; wait: boolean; json: boolean; configDir?: string }) {
  const pipeline = parseInput(() => loadPipeline(options.pipeline, options.configDir));
  const date = parseInput(() => parseRunDate(options.date));
  const target = resolveTarget();
  await target.prepare([pipeline]);
  process.exitCode = await withClient(target, async (client) => {
    const { run, reuse } = await startRerun(client, target, { pipeline, date, fromStep: options.fromStep });
    if (reuse && !options.json) {
      const steps = Object.keys(reuse).filter((key): key is ReusableStep => key !== 'fromRun');
      console.log(`Reusing the confirmed results of ${steps.join(', ')} from run ${reuse.fromRun}`);
    }
    return reportRun(target, run, { pipeline, date, wait: options.wait, json: options.json });
  });
}
