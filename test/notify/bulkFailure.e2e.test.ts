import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun } from '../../src/client/operations/waitForRun';
import { putObject } from '../support/aws';
import { receiveNotifications } from '../support/notifications';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { stepOf, testPipeline, withStep } from '../support/pipelines';
import { ordersHeader } from '../support/orderFiles';

/** A bulk breakage on the real local stack: hundreds of rejected files must still give their one alert. */

const base = testPipeline();
const pipeline = withStep(base, 'validate', { contract: { ...stepOf(base, 'validate').contract, maxReportedErrors: 2 } });
const date = '2024-01-15';
const invalidFiles = 500;
/** What SNS accepts at most; the alert is meant to stay far below it. */
const snsLimitBytes = 256 * 1024;

let stack: PipelineStack;

beforeAll(async () => {
  stack = await startPipelineStack(pipeline);
});

afterAll(() => stack?.stop());

test('a date with 500 invalid files fails at validation and still publishes its one failure alert, under the SNS limit', async () => {
  const { aws, env, queueUrl } = stack;
  for (let n = 1; n <= invalidFiles; n += 1) {
    const row = `O-${n},C-001,${date},not-a-number,P-10,${date}T08:00:00Z,completed`;
    await putObject(aws.s3, pipeline.s3.bucket, `${pipeline.s3.prefixes.raw}${date}/export-${String(n).padStart(3, '0')}.csv`, `${ordersHeader}\n${row}\n`);
  }

  const run = await startOrAttach(env.client, { pipeline, date, trigger: 'manual' });
  const outcome = await waitForRun(run, () => undefined, 200);

  expect(outcome.outcome).toBe('failed');
  const alerts = await receiveNotifications(aws.sqs, queueUrl, 1);
  expect(alerts).toHaveLength(1);
  const [alert] = alerts;
  expect(alert.TopicArn).toBe(pipeline.notifications.failureTopicArn);
  expect(alert.Subject).toBe(`ETL orders ${date} FAILED at validate`);
  expect(Buffer.byteLength(alert.Message, 'utf8')).toBeLessThan(snsLimitBytes);
  expect(alert.Message).toContain(`Rerun: etl run --pipeline orders --date ${date} --wait`);
  // The error is told once: its first line is not repeated among the steps' details.
  const errorLine = alert.Message.split('\n').find((line) => line.startsWith('Error: '))!;
  expect(errorLine).toContain('500 file(s)');
  expect(alert.Message.split(errorLine.slice('Error: '.length))).toHaveLength(2);
});
