import { z } from 'zod';
import { pollInterval, stepCommon } from '../../config/fields';

/** A crawler step's settings: the Glue crawler started and waited for, such as one that updates the catalog after the Glue job wrote. */
export const crawlerSettings = z.strictObject({
  kind: z.literal('crawler'),
  ...stepCommon,
  name: z.string().min(1).max(255),
  pollInterval: pollInterval.default('30s'),
});
