/**
 * How fast validateStream checks a large CSV, and how much memory it needs doing it.
 *
 *   node --require ./bench/register.js bench/validate-large.ts [--gigabytes 2]   (GiB)
 *
 * The CSV (the orders contract, with quoted fields, nulls and one bad row per block) is generated
 * while it is read, so nothing but the validator holds memory. Target: 2 GB in under 200 MB RSS.
 */
import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { validateStream } from '../src/activities/validation/validateStream';
import { loadPipeline } from '../src/config/load';
import { stepsOfKind } from '../src/shared/pipelineSteps';

const rssTargetBytes = 200 * 1024 ** 2;
const rowsPerBlock = 10_000;
// The size of the reads an S3 GetObject body delivers.
const chunkBytes = 64 * 1024;

function gigabytesArgument(): number {
  const at = process.argv.indexOf('--gigabytes');
  const value = at === -1 ? 2 : Number(process.argv[at + 1]);
  if (!(value > 0)) throw new Error('usage: --gigabytes <number greater than 0>');
  return value;
}

/** One block of orders rows; the stream repeats it, so generating costs next to nothing. */
function ordersBlock(): Buffer {
  const rows: string[] = [];
  for (let i = 0; i < rowsPerBlock; i++) {
    const amount = `${(i * 7919) % 100_000}.${String(i % 100).padStart(2, '0')}`;
    const product = i % 10 === 0 ? '' : i % 7 === 0 ? `"P-${i % 500}, gift wrapped"` : `P-${i % 500}`;
    const createdAt = i % 3 === 0 ? '' : `2024-01-15T${String(i % 24).padStart(2, '0')}:12:00Z`;
    const date = i === rowsPerBlock / 2 ? '2024-02-30' : '2024-01-15';
    const status = i % 5 === 0 ? 'cancelled' : 'completed';
    rows.push(`O-${i},C-${i % 2000},${date},${amount},${product},${createdAt},${status}\n`);
  }
  return Buffer.from(rows.join(''));
}

function generatedCsv(totalBytes: number): { stream: Readable; bytes: number } {
  const header = Buffer.from('order_id,customer_id,order_date,order_amount,product_id,created_at,order_status\n');
  const block = ordersBlock();
  const blocks = Math.ceil(totalBytes / block.length);
  async function* chunks() {
    yield header;
    for (let i = 0; i < blocks; i++) {
      for (let at = 0; at < block.length; at += chunkBytes) {
        // Let timers run between chunks, as they do between network reads; the RSS sampler needs them.
        await setImmediate();
        yield block.subarray(at, at + chunkBytes);
      }
    }
  }
  return { stream: Readable.from(chunks(), { objectMode: false }), bytes: header.length + blocks * block.length };
}

const mebibytes = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

async function run() {
  const [{ contract }] = stepsOfKind(loadPipeline('orders'), 'validate');
  const { stream, bytes } = generatedCsv(gigabytesArgument() * 1024 ** 3);

  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  const started = process.hrtime.bigint();
  const result = await validateStream(stream, contract);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  const maxRss = process.resourceUsage().maxRSS * 1024;

  const target = `target under ${mebibytes(rssTargetBytes)}: ${maxRss < rssTargetBytes ? 'met' : 'NOT met'}`;
  console.log(`validated ${mebibytes(bytes)} of CSV: ${result.rows} rows, ${result.errorCount} errors, ${result.sample.length} kept in the sample`);
  console.log(`time ${seconds.toFixed(1)} s, ${mebibytes(bytes / seconds)}/s`);
  console.log(`peak RSS ${mebibytes(peakRss)} sampled, ${mebibytes(maxRss)} maxRSS (${target})`);
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
