/**
 * A generated orders CSV on disk, meeting the sample pipeline's contract (config/pipelines/orders.yaml):
 * quoted fields with embedded delimiters, empty nullable product_id and created_at, several statuses.
 * The file is built from one repeated block, so the same size always gives the same bytes and an
 * existing file of that size is reused.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';

const header = 'order_id,customer_id,order_date,order_amount,product_id,created_at,order_status\n';
const rowsPerBlock = 10_000;
const statuses = ['completed', 'completed', 'completed', 'cancelled', 'pending'];

function ordersBlock(): Buffer {
  const rows: string[] = [];
  for (let i = 0; i < rowsPerBlock; i++) {
    const amount = `${(i * 7919) % 100_000}.${String(i % 100).padStart(2, '0')}`;
    const product = i % 10 === 0 ? '' : i % 7 === 0 ? `"P-${i % 500}, gift wrapped"` : `P-${i % 500}`;
    const createdAt = i % 3 === 0 ? '' : `2024-01-15T${String(i % 24).padStart(2, '0')}:12:${String(i % 60).padStart(2, '0')}Z`;
    rows.push(`O-${100_000 + i},C-${i % 2000},2024-01-15,${amount},${product},${createdAt},${statuses[i % statuses.length]}\n`);
  }
  return Buffer.from(rows.join(''));
}

export interface GeneratedCsv {
  file: string;
  bytes: number;
  rows: number;
}

/** Writes (or reuses) a CSV of at least `targetBytes` under `dir`. */
export async function generatedOrdersCsv(targetBytes: number, dir: string): Promise<GeneratedCsv> {
  const block = ordersBlock();
  const blocks = Math.max(1, Math.ceil((targetBytes - header.length) / block.length));
  const bytes = header.length + blocks * block.length;
  const file = path.join(dir, `orders-${bytes}.csv`);
  const result = { file, bytes, rows: blocks * rowsPerBlock };
  if (existsSync(file) && statSync(file).size === bytes) return result;

  mkdirSync(dir, { recursive: true });
  // Written beside and renamed, so an interrupted run never leaves a short file that looks complete.
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  out.write(header);
  for (let i = 0; i < blocks; i++) {
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, file);
  return result;
}
