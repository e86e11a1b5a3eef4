import { z } from 'zod';
import { sqlName, stepCommon } from '../../config/fields';

/** A refresh step's settings: the materialized views it refreshes. */
export const refreshSettings = z.strictObject({ kind: z.literal('refresh'), ...stepCommon, views: z.array(sqlName).min(1) });
