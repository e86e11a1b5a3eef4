import { z } from 'zod';
import { stepCommon } from '../../config/fields';

/** The notify step has no settings of its own: its targets are the pipeline's `notifications`. */
export const notifySettings = z.strictObject({ kind: z.literal('notify'), ...stepCommon });
