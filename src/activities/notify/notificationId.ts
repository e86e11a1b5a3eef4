import { createHash } from 'node:crypto';
import type { NotificationInput } from './message';

/**
 * The message attribute that carries a notification's id. A retried publish of the same run's
 * notification carries the same id: consumers of a standard topic drop a duplicate by it, and a FIFO
 * topic deduplicates by it (its MessageDeduplicationId).
 */
export const notificationIdAttribute = 'notificationId';

/** One id per run and outcome, within the 128 characters a MessageDeduplicationId allows. */
export function notificationId(workflowId: string, runId: string, outcome: NotificationInput['outcome']): string {
  return createHash('sha256').update(`${workflowId}/${runId}/${outcome}`).digest('hex');
}
