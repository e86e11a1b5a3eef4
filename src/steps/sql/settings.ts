import { z } from 'zod';
import { stepCommon } from '../../config/fields';

/**
 * A sql step's settings: `statements` run in order as one transaction, then `check`, a query for rows that must
 * not exist (any it returns fail the run). `:date` in either is the run's date, bound as a parameter.
 */
export const sqlSettings = z
  .strictObject({
    kind: z.literal('sql'),
    ...stepCommon,
    statements: z.array(z.string().trim().min(1)).default([]),
    check: z
      .string()
      .trim()
      .regex(/^(SELECT|WITH)\b/i, 'must be a query (SELECT or WITH) that returns the rows that must not exist')
      .optional(),
  })
  .refine((step) => step.statements.length > 0 || step.check !== undefined, 'set statements, a check, or both');
