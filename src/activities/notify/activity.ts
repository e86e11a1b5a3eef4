import { Context } from '@temporalio/activity';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { runUiUrl } from '../../shared/temporalUi';
import { withoutSdkRetry } from '../../worker/awsClients';
import { notificationMessage, notificationSubject, type NotificationInput } from './message';
import { notificationId, notificationIdAttribute } from './notificationId';

export type { NotificationInput } from './message';

export interface NotificationDeps {
  sns: SNSClient;
  /** Base address of the Temporal UI, for the link in every notification. */
  temporalUiUrl?: string;
}

export function createNotificationActivities({ sns, temporalUiUrl }: NotificationDeps) {
  return {
    async sendNotification(input: NotificationInput): Promise<{ messageId: string }> {
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
            MessageAttributes: {
              [notificationIdAttribute]: { DataType: 'String', StringValue: id },
              pipeline: { DataType: 'String', StringValue: input.pipeline },
              date: { DataType: 'String', StringValue: input.date },
              outcome: { DataType: 'String', StringValue: input.outcome },
              ...(input.failedStep && { step: { DataType: 'String', StringValue: input.failedStep } }),
            },
            ...(fifo && { MessageGroupId: input.pipeline, MessageDeduplicationId: id }),
          }),
        ),
      );
      return { messageId: result.MessageId ?? '' };
    },
  };
}
