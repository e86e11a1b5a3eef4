import { backfillSummaryMessage, backfillSummarySubject, type BackfillSummaryInput } from '../../src/activities/notify/backfillSummary';
import { messageLimitBytes } from '../../src/activities/notify/message';

const run = {
  workflowId: 'etl-backfill-orders-2024-01-01-2024-12-31',
  runId: 'run-1',
  uiUrl: 'http://127.0.0.1:8233/namespaces/default/workflows/etl-backfill-orders/run-1/history',
};
const summary = (failed: number, error = 'ERROR: permission denied for relation fct_orders'): BackfillSummaryInput => ({
  pipelineName: 'orders',
  topicArn: 'arn:aws:sns:us-east-1:123456789012:pipeline-failure',
  from: '2024-01-01',
  to: '2024-12-31',
  tally: {
    total: 366,
    succeeded: 366 - failed,
    failed,
    attached: 0,
    failures: Array.from({ length: failed }, (_, n) => ({
      date: `2024-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`,
      step: 'load',
      error,
    })),
  },
  refresh: { outcome: 'succeeded', viewsRefreshed: ['analytics.daily_sales'] },
});

test('a backfill whose dates all succeeded says so in its subject and counts them', () => {
  const input = summary(0);
  expect(backfillSummarySubject(input)).toBe('ETL orders backfill 2024-01-01..2024-12-31 succeeded: 366 date(s)');
  const message = backfillSummaryMessage(input, run);
  expect(message).toContain('Succeeded: 366');
  expect(message).toContain('Views: refreshed analytics.daily_sales');
  expect(message).not.toContain('Rerun');
});

test('a failed refresh alone fails the backfill', () => {
  const input = { ...summary(0), refresh: { outcome: 'failed' as const, error: 'ERROR: permission denied for view daily_sales' } };
  expect(backfillSummarySubject(input)).toBe('ETL orders backfill 2024-01-01..2024-12-31 FAILED: the view refresh failed');
  expect(backfillSummaryMessage(input, run)).toContain('Views: refresh FAILED: ERROR: permission denied for view daily_sales');
});

test('every failed date is listed with its step and the first line of its error, then the rerun of the failed dates', () => {
  const message = backfillSummaryMessage(summary(2, 'ERROR: permission denied\nDETAIL: the load role lacks INSERT'), run);
  const lines = message.split('\n');
  expect(lines).toContain('2024-01-01: failed at load: ERROR: permission denied');
  expect(lines).toContain('2024-02-02: failed at load: ERROR: permission denied');
  expect(message).not.toContain('DETAIL');
  expect(lines).toContain('Rerun the failed dates: etl backfill --pipeline orders --from 2024-01-01 --to 2024-02-02 --only failed --wait');
  expect(lines).toContain(`Temporal UI: ${run.uiUrl}`);
});

test('thousands of failures stay within the message limit, keeping the head, a count of the rest and the rerun', () => {
  const message = backfillSummaryMessage(summary(3000, `ERROR: ${'x'.repeat(500)}`), run);
  expect(Buffer.byteLength(message, 'utf8')).toBeLessThanOrEqual(messageLimitBytes);
  const listed = message.split('\n').filter((line) => /^2024-\d\d-\d\d: failed at load: /.test(line)).length;
  expect(listed).toBeGreaterThan(0);
  expect(message).toContain(`… ${3000 - listed} more failed date(s): see the backfill in the Temporal UI`);
  expect(message).toContain('Failed: 3000');
  expect(message).toContain('Rerun the failed dates: etl backfill --pipeline orders');
});
