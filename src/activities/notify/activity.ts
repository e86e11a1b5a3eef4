import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { runUiUrl } from '../../shared/temporalUi';
import { notificationMessage, notificationSubject, type NotificationInput } from './message';

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
      const fifo = input.topicArn.endsWith('.fifo');
      const result = await sns.send(
        new PublishCommand({
          TopicArn: input.topicArn,
          Subject: notificationSubject(input),
          Message: notificationMessage(input, { workflowId, runId, uiUrl }),
          MessageAttributes: {
            pipeline: { DataType: 'String', StringValue: input.pipeline },
            date: { DataType: 'String', StringValue: input.date },
            outcome: { DataType: 'String', StringValue: input.outcome },
            ...(input.failedStep && { step: { DataType: 'String', StringValue: input.failedStep } }),
          },
          // FIFO topics drop a retried publish of the same run's notification.
          ...(fifo && {
            MessageGroupId: input.pipeline,
            MessageDeduplicationId: createHash('sha256').update(`${workflowId}/${runId}/${input.outcome}`).digest('hex'),
          }),
        }),
      );
      return { messageId: result.MessageId ?? '' };
    },
  };
}
