import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A notification as an SQS queue subscribed to the topic receives it: SNS's JSON envelope. */
export interface ReceivedNotification {
  TopicArn: string;
  Subject?: string;
  Message: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

/**
 * Every notification on the queue, each deleted once read. Reads until `expected` arrived and then a
 * little longer, so an unwanted extra message is counted too.
 */
export async function receiveNotifications(sqs: SQSClient, queueUrl: string, expected: number): Promise<ReceivedNotification[]> {
  const received: ReceivedNotification[] = [];
  for (let emptyReads = 0; (emptyReads < 2 || received.length < expected) && emptyReads <= 20;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    if (!Messages.length) emptyReads += 1;
    for (const message of Messages) {
      received.push(JSON.parse(message.Body!));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  return received;
}
