import { createHash } from 'node:crypto';
import type { PipelineConfig } from '../../config/schema';

/**
 * A short content hash of a pipeline's validated config: two runs show the same version exactly when they
 * ran with the same settings, whatever the YAML's key order, comments or formatting.
 */
export function configVersion(pipeline: PipelineConfig): string {
  return createHash('sha256').update(canonicalJson(pipeline)).digest('hex').slice(0, 12);
}

/** JSON with object keys sorted at every level, so equal configs hash equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
