import { Context } from '@temporalio/activity';
import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import { runUiUrl } from '../../shared/temporalUi';
import { notificationOf, type EarlierNotificationInput } from '../earlierInputs';
import { withoutSdkRetry } from '../withoutSdkRetry';
import { notificationMessage, notificationSubject, type NotificationInput } from './message';
import { notificationId, notificationIdAttribute } from './notificationId';
import { cutToBytes } from './textBudget';

export type { NotificationInput } from './message';

export interface NotificationDeps {
  sns: SNSClient;
  /** Base address of the Temporal UI, for the link in every notification. */
  temporalUiUrl?: string;
}

export function createNotificationActivities({ sns, temporalUiUrl }: NotificationDeps) {
  return {
    async sendNotification(given: NotificationInput | EarlierNotificationInput): Promise<{ messageId: string }> {
      const input = notificationOf(given);
      const { namespace, workflowExecution } = Context.current().info;
      // The pipeline workflow always schedules this activity, so the run is known.
      const { workflowId, runId } = workflowExecution!;
      const uiUrl = temporalUiUrl ? runUiUrl(temporalUiUrl, namespace, workflowId, runId) : undefined;
      const id = notificationId(workflowId, runId, input.outcome);
      const fifo = input.topicArn.endsWith('.fifo');
      // Publish has no idempotency token: the activity's retry, under the same id, is the only retry.
      const result = await sns.send(
        withoutSdkRetry(
          new PublishCommand({
            TopicArn: input.topicArn,
            Subject: notificationSubject(input),
            Message: notificationMessage(input, { workflowId, runId, uiUrl }),
            MessageAttributes: stringAttributes({
              [notificationIdAttribute]: id,
              pipeline: input.pipelineName,
              date: input.date,
              outcome: input.outcome,
              step: input.failedStep,
            }),
            ...(fifo && { MessageGroupId: input.pipelineName, MessageDeduplicationId: id }),
          }),
        ),
      );
      return { messageId: result.MessageId ?? '' };
    },
  };
}

/** A value attributes may carry at most; the message names the run in full. */
const attributeLimitBytes = 256;

/** SNS refuses an empty attribute value: it is left out, and a long one cut, so an alert about bad input still goes out. */
function stringAttributes(values: Record<string, string | undefined>): Record<string, MessageAttributeValue> {
  const present = Object.entries(values).filter((entry): entry is [string, string] => Boolean(entry[1]));
  return Object.fromEntries(present.map(([name, value]) => [name, { DataType: 'String', StringValue: cutToBytes(value, attributeLimitBytes) }]));
}
