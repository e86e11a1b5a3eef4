import { z } from 'zod';
import { stepCommon } from '../../config/fields';
import { firstWord, runsOutsideTransaction } from '../../shared/outsideTransaction';

/**
 * A sql step's settings: `statements` run in order as one transaction, then `check`, a query for rows that must
 * not exist (any it returns fail the run). `:date` in either is the run's date, bound as a parameter. A VACUUM
 * or TRUNCATE cannot be part of that transaction: it is a step's only statement, run on its own.
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
  .refine((step) => step.statements.length > 0 || step.check !== undefined, 'set statements, a check, or both')
  .superRefine(({ statements, check }, ctx) => {
    if (statements.length === 1 && check === undefined) return;
    statements.forEach((sql, index) => {
      if (!runsOutsideTransaction(sql)) return;
      ctx.addIssue({
        code: 'custom',
        path: ['statements', index],
        message: `${firstWord(sql)} cannot run inside the transaction this step's statements share: give it a sql step of its own, as its only statement and with no check`,
      });
    });
  });
