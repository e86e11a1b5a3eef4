import { loadPipeline } from '../../../config/load';
import { resolveTarget } from '../../../target/target';
import { parseInput } from '../../errors';
import { withClient } from '../../operations/connect';
import { withRunCosts } from '../../operations/runCost';
import { runStatusByDate } from '../../operations/runHistory';
import { statusGrid } from './output';
import { statusRange } from './range';

export async function statusCommand(options: { pipeline: string; from?: string; to?: string; json: boolean; configDir?: string }) {
  const pipeline = parseInput(() => loadPipeline(options.pipeline, options.configDir));
  const now = new Date();
  const range = statusRange(options, now.toISOString().slice(0, 10));
  const target = resolveTarget();
  const rows = await withClient(target, async (client) => withRunCosts(client, await runStatusByDate(client, target, pipeline.name, range)));
  console.log(options.json ? JSON.stringify(rows, null, 2) : statusGrid(pipeline.name, rows, now).join('\n'));
}
