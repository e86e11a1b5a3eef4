// Plain functions on a config's sizes, without zod: workflow code reads them, and every module a workflow
// imports is loaded again for each run the worker holds.

const byteUnits: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };

/** The bytes a size such as "100GiB" stands for. */
export function sizeInBytes(size: string): number {
  const [, amount, unit] = /^([\d.]+)(\w+)$/.exec(size)!;
  return Math.floor(Number(amount) * byteUnits[unit]);
}

export const defaultValidateBatch = { files: 16, size: '4GB', atOnce: 8 } as const;

/** The validate step's batches (its `batch`), defaults applied (also to config snapshots recorded before batches existed). */
export function validateBatch(step: { batch?: { files?: number; size?: string; atOnce?: number } }): {
  files: number;
  bytes: number;
  atOnce: number;
} {
  const batch = { ...defaultValidateBatch, ...step.batch };
  return { files: batch.files, bytes: sizeInBytes(batch.size), atOnce: batch.atOnce };
}
