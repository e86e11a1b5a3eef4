import { loadPipeline } from '../../config/load';
import { parseRunDate } from '../../shared/dates';
import { parseInput } from '../errors';
import { runPipeline } from '../runPipeline';
import { resolveTarget } from '../../target/target';

export async function runCommand(options: { pipeline: string; date: string; wait: boolean; json: boolean; configDir?: string }) {
  const pipeline = parseInput(() => loadPipeline(options.pipeline, options.configDir));
  const date = parseInput(() => parseRunDate(options.date));
  const target = resolveTarget();
  await target.prepare([pipeline]);
  process.exitCode = await runPipeline(target, { pipeline, date, trigger: 'manual', wait: options.wait, json: options.json });
}
