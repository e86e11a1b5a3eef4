/**
 * Runs validateStream on one CSV file against the orders contract, in its own process so its peak RSS
 * is its own. Used by validate-vs-pandas.ts; prints one JSON line.
 *
 *   node --require ./bench/register.js bench/validate-file.ts <csv path>
 */
import { createReadStream } from 'node:fs';
import { validateStream } from '../src/activities/validation/validateStream';
import { loadPipeline } from '../src/config/load';
import { stepsOfKind } from '../src/shared/pipelineSteps';

// The size of the reads an S3 GetObject body delivers.
const chunkBytes = 64 * 1024;

async function run(file: string) {
  const [{ contract }] = stepsOfKind(loadPipeline('orders'), 'validate');
  const started = process.hrtime.bigint();
  const result = await validateStream(createReadStream(file, { highWaterMark: chunkBytes }), contract);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ rows: result.rows, errorCount: result.errorCount, seconds, peakRssBytes }));
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node --require ./bench/register.js bench/validate-file.ts <csv path>');
  process.exit(2);
}
run(file).catch((err) => {
  console.error(err);
  process.exit(1);
});
