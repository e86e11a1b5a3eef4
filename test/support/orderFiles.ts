import type { S3Client } from '@aws-sdk/client-s3';
import type { PipelineConfig } from '../../src/config/schema';
import { putObject } from './aws';

/** The header of the sample orders files: the columns of the orders contract, in order. */
export const ordersHeader = 'order_id,customer_id,order_date,order_amount,product_id,created_at,order_status';

/** Lands one valid orders file for each date in the pipeline's raw/ prefix, as a daily export would. */
export async function landOrderFiles(s3: S3Client, pipeline: PipelineConfig, dates: string[]): Promise<void> {
  for (const date of dates) {
    const row = `O-${date},C-001,${date},19.99,P-10,${date}T08:00:00Z,completed`;
    await putObject(s3, pipeline.s3.bucket, `${pipeline.s3.prefixes.raw}${date}/orders.csv`, `${ordersHeader}\n${row}\n`);
  }
}
