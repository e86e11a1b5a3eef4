import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { PipelineConfig } from '../config/schema';
import { projectRoot } from '../shared/projectRoot';

export const sampleDataDir = join(projectRoot, 'sample-data');

/** The dates that have sample files for a pipeline (sample-data/<pipeline>/<date>/). */
export function sampleDates(pipeline: string): string[] {
  return readdirSync(join(sampleDataDir, pipeline)).sort();
}

/** Lands the sample files of one date in the pipeline's raw/ prefix, as an export would. */
export async function uploadSampleFiles(s3: S3Client, pipeline: PipelineConfig, date: string): Promise<string[]> {
  const dir = join(sampleDataDir, pipeline.name, date);
  const keys: string[] = [];
  for (const file of readdirSync(dir).sort()) {
    const key = `${pipeline.s3.prefixes.raw}${date}/${file}`;
    await s3.send(new PutObjectCommand({ Bucket: pipeline.s3.bucket, Key: key, Body: readFileSync(join(dir, file)) }));
    keys.push(key);
  }
  return keys;
}
