import { loadPipeline } from '../../config/load';
import { connectClient } from '../operations/connect';
import { parseInput } from '../errors';
import { runStatusByDate } from '../operations/runHistory';
import { statusRange } from '../runStatus';
import { statusGrid } from '../statusGrid';
import { resolveTarget } from '../../target/target';

export async function statusCommand(options: { pipeline: string; from?: string; to?: string; json: boolean; configDir?: string }) {
  const pipeline = parseInput(() => loadPipeline(options.pipeline, options.configDir));
  const now = new Date();
  const range = statusRange(options, now.toISOString().slice(0, 10));
  const target = resolveTarget();
  const client = await connectClient(target);
  try {
    const rows = await runStatusByDate(client, target, pipeline.name, range);
    console.log(options.json ? JSON.stringify(rows, null, 2) : statusGrid(pipeline.name, rows, now).join('\n'));
  } finally {
    await client.connection.close();
  }
}
