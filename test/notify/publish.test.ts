import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createNotificationActivities, type NotificationInput } from '../../src/activities/notify/activity';
import { notificationIdAttribute } from '../../src/activities/notify/notificationId';
import type { FaultAnswer } from '../../src/local/emulator';
import { createAwsClients, type AwsClients } from '../../src/aws/awsClients';
import { stepOptions } from '../../src/workflows/stepOptions';
import { startLocalAws, type LocalAws } from '../support/aws';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { receiveNotifications } from '../support/notifications';
import { stepOf, testPipeline } from '../support/pipelines';
import { runWithRetries } from '../support/retries';

/** The alert goes out once in effect, even when SNS's answer to a Publish it carried out was lost, and whatever the input. */

const { retry } = stepOptions(stepOf(testPipeline(), 'notify'), 'publish failure');
const info = { namespace: 'default', workflowExecution: { workflowId: 'etl-orders-2024-01-15', runId: 'run-1' } };

let local: LocalAws;
let proxy: FaultProxy;
/** The worker's own clients, with SNS behind the fault proxy. */
let aws: AwsClients;
let sendNotification: ReturnType<typeof createNotificationActivities>['sendNotification'];

beforeAll(async () => {
  local = await startLocalAws();
  proxy = await startFaultProxy(local.moto.endpoint);
  aws = createAwsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, endpoints: { sns: proxy.endpoint } });
  ({ sendNotification } = createNotificationActivities({ sns: aws.sns }));
});

afterAll(async () => {
  Object.values(aws).forEach((client) => client.destroy());
  await proxy?.close();
  await local?.stop();
});

beforeEach(() => proxy.setFaults([]));

/** A topic with its own queue subscribed, so what the topic delivered can be counted. */
async function topicWithQueue(name: string, fifo: boolean): Promise<{ topicArn: string; queueUrl: string }> {
  const suffix = fifo ? '.fifo' : '';
  const { TopicArn } = await local.sns.send(new CreateTopicCommand({ Name: `${name}${suffix}`, Attributes: fifo ? { FifoTopic: 'true' } : undefined }));
  const { QueueUrl } = await local.sqs.send(new CreateQueueCommand({ QueueName: `${name}${suffix}`, Attributes: fifo ? { FifoQueue: 'true' } : undefined }));
  const { Attributes } = await local.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await local.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
  return { topicArn: TopicArn!, queueUrl: QueueUrl! };
}

function failureAlert(topicArn: string): NotificationInput {
  return {
    pipelineName: 'orders',
    date: '2024-01-15',
    trigger: 'manual',
    outcome: 'failed',
    topicArn,
    failedStep: 'load',
    error: 'S3ServiceException: The specified key does not exist',
    details: [],
  };
}

describe.each<FaultAnswer>(['serverError', 'dropConnection'])('a Publish SNS carried out but answered with %s', (answer) => {
  test('on a FIFO topic gives exactly one message on the subscribed queue', async () => {
    const { topicArn, queueUrl } = await topicWithQueue(`alerts-${answer}`, true);
    proxy.setFaults([{ target: 'Publish', answer }]);

    const { attempts } = await runWithRetries(retry!, sendNotification, [failureAlert(topicArn)], info);

    expect(attempts).toBe(2);
    const received = await receiveNotifications(local.sqs, queueUrl, 1);
    expect(received).toHaveLength(1);
    expect(received[0].Subject).toBe('ETL orders 2024-01-15 FAILED at load');
  });

  test('on a standard topic gives messages that all carry the same notification id', async () => {
    const { topicArn, queueUrl } = await topicWithQueue(`alerts-${answer}`, false);
    proxy.setFaults([{ target: 'Publish', answer }]);

    const { attempts } = await runWithRetries(retry!, sendNotification, [failureAlert(topicArn)], info);

    expect(attempts).toBe(2);
    // Both publishes reached the topic, the SDK sent neither twice; a consumer keeps one by its id.
    const received = await receiveNotifications(local.sqs, queueUrl, 2);
    expect(received).toHaveLength(2);
    const ids = received.map((message) => message.MessageAttributes?.[notificationIdAttribute]?.Value);
    expect(ids[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(ids)).toEqual(new Set([ids[0]]));
  });
});

test('the success and the failure notification of a run carry different ids', async () => {
  const { topicArn, queueUrl } = await topicWithQueue('outcomes', false);

  await runWithRetries(retry!, sendNotification, [{ ...failureAlert(topicArn), outcome: 'succeeded', failedStep: undefined, error: undefined }], info);
  await runWithRetries(retry!, sendNotification, [failureAlert(topicArn)], info);

  const received = await receiveNotifications(local.sqs, queueUrl, 2);
  const ids = received.map((message) => message.MessageAttributes?.[notificationIdAttribute]?.Value);
  expect(new Set(ids).size).toBe(2);
});

test.each([
  ['an empty date', ''],
  ['a date of 10,000 characters', '2024-01-15'.repeat(1000)],
])('an alert about a run with %s is still published', async (_, date) => {
  const { topicArn, queueUrl } = await topicWithQueue(`bad-input-${date.length}`, false);

  await runWithRetries(retry!, sendNotification, [{ ...failureAlert(topicArn), date, failedStep: 'validate', error: `invalid date "${date}"` }], info);

  const received = await receiveNotifications(local.sqs, queueUrl, 1);
  expect(received).toHaveLength(1);
  expect(received[0].Subject).toMatch(/^ETL orders /);
});

test('an alert scheduled by a run on earlier workflow code, which named the pipeline `pipeline`, is published the same', async () => {
  const { topicArn, queueUrl } = await topicWithQueue('earlier-input', false);
  const { pipelineName, ...alert } = failureAlert(topicArn);

  await runWithRetries(retry!, sendNotification, [{ ...alert, pipeline: pipelineName }], info);

  const [received] = await receiveNotifications(local.sqs, queueUrl, 1);
  expect(received.Subject).toBe('ETL orders 2024-01-15 FAILED at load');
  expect(received.Message).toContain('Rerun: etl run --pipeline orders --date 2024-01-15 --wait');
  expect(received.MessageAttributes?.pipeline?.Value).toBe('orders');
});
