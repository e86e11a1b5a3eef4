import { loadPipeline } from '../../../config/load';
import { parseRunDate } from '../../../shared/dates';
import { resolveTarget } from '../../../target/target';
import { parseInput } from '../../errors';
import { withClient } from '../../operations/connect';
import { startRerun, stepsBefore } from '../../operations/rerun';
import { reportRun } from '../run/handler';

export async function rerunCommand(options: { pipeline: string; date: string; fromStep?: string; wait: boolean; json: boolean; configDir?: string }) {
  const pipeline = parseInput(() => loadPipeline(options.pipeline, options.configDir));
  const date = parseInput(() => parseRunDate(options.date));
  const { fromStep } = options;
  if (fromStep) stepsBefore(pipeline, fromStep);
  const target = resolveTarget();
  await target.prepare([pipeline]);
  process.exitCode = await withClient(target, async (client) => {
    const { run, reuse } = await startRerun(client, target, { pipeline, date, fromStep });
    if (reuse && !options.json) {
      console.log(`Reusing the confirmed results of ${Object.keys(reuse.steps ?? {}).join(', ')} from run ${reuse.fromRun}`);
    }
    return reportRun(target, run, { pipeline, date, wait: options.wait, json: options.json });
  });
}
