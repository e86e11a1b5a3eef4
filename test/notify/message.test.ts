import { messageLimitBytes, notificationMessage, notificationSubject, type NotificationInput } from '../../src/activities/notify/message';

const run = { workflowId: 'etl-orders-2024-01-15', runId: 'run-1', uiUrl: 'http://127.0.0.1:8233/namespaces/default/workflows/etl-orders-2024-01-15/run-1/history' };
const failure: NotificationInput = {
  pipelineName: 'orders',
  date: '2024-01-15',
  trigger: 'manual',
  outcome: 'failed',
  topicArn: 'arn:aws:sns:us-east-1:123456789012:pipeline-failure',
  failedStep: 'validate',
  error: '1 file(s) invalid: raw/orders/2024-01-15/bad.csv line 2, column amount: "not-a-number" is not a decimal',
  details: [],
};
const numbered = (count: number, text: (n: number) => string) => Array.from({ length: count }, (_, n) => text(n + 1));
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

test('a small failure is shown whole, with the run, its UI link and the command that reruns it', () => {
  const message = notificationMessage(failure, run);

  expect(message.split('\n')).toEqual([
    'Pipeline: orders',
    'Date: 2024-01-15',
    'Trigger: manual',
    'Outcome: failed',
    'Failed step: validate',
    `Error: ${failure.error}`,
    '',
    '',
    'Workflow: etl-orders-2024-01-15 (run run-1)',
    `Temporal UI: ${run.uiUrl}`,
    'Rerun: etl run --pipeline orders --date 2024-01-15 --wait',
  ]);
});

test('a failure with thousands of error and detail lines stays under the limit, says how many lines it left out, and keeps the rerun command', () => {
  const errorLines = numbered(2000, (n) => `raw/orders/2024-01-15/file-${n}.csv line 2, column amount: "not-a-number" is not a decimal(10,2)`);
  const details = numbered(2000, (n) => `Step ${n}: succeeded, something worth a line about step ${n}`);

  const message = notificationMessage({ ...failure, error: `2000 file(s) invalid:\n${errorLines.join('\n')}`, details }, run);

  expect(bytes(message)).toBeLessThanOrEqual(messageLimitBytes);
  const lines = message.split('\n');
  const shownErrors = lines.filter((line) => line.startsWith('raw/orders/')).length;
  expect(shownErrors).toBeGreaterThan(100);
  expect(message).toContain(`… ${2000 - shownErrors} more line(s) of the error: read all of it in the Temporal UI`);
  const shownDetails = lines.filter((line) => line.startsWith('Step ')).length;
  expect(shownDetails).toBeGreaterThan(100);
  expect(message).toContain(`… ${2000 - shownDetails} more line(s): see the run in the Temporal UI`);
  expect(lines.slice(-3)).toEqual([
    'Workflow: etl-orders-2024-01-15 (run run-1)',
    `Temporal UI: ${run.uiUrl}`,
    'Rerun: etl run --pipeline orders --date 2024-01-15 --wait',
  ]);
});

test('one enormous line is cut without breaking a character, and the message stays under the limit', () => {
  const message = notificationMessage({ ...failure, error: '€'.repeat(200_000), details: ['ü'.repeat(200_000)] }, run);

  expect(bytes(message)).toBeLessThanOrEqual(messageLimitBytes);
  expect(message).not.toContain('\uFFFD');
  expect(message).toMatch(/^Error: €+…$/m);
  expect(message).toMatch(/^ü+…$/m);
});

test('the subject is one line of fewer than 100 characters', () => {
  const subject = notificationSubject({ ...failure, pipelineName: `orders-${'x'.repeat(200)}`, date: '2024-01-15\nInjected: line' });

  expect(Array.from(subject).length).toBeLessThan(100);
  expect(subject).not.toMatch(/[\r\n]/);
  expect(subject).toMatch(/^ETL orders-x+…$/);
  expect(notificationSubject(failure)).toBe('ETL orders 2024-01-15 FAILED at validate');
});
