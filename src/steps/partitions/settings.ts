import { z } from 'zod';
import { s3Folder, stepCommon, templated } from '../../config/fields';

/** A partitions step's settings: the date's partition in the Glue Data Catalog, so Athena reads its files without MSCK REPAIR TABLE. */
export const partitionsSettings = z.strictObject({
  kind: z.literal('partitions'),
  ...stepCommon,
  database: z.string().min(1).max(255),
  table: z.string().min(1).max(255),
  /** One per partition key of the table, in the keys' order, such as ["{{date}}"]. */
  values: z.array(templated(z.string().min(1))).min(1),
  /** The date's folder, such as "s3://{{bucket}}/{{prefixes.processed}}order_date={{date}}/". */
  location: s3Folder,
});
