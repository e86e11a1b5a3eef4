import { Context } from '@temporalio/activity';
import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import { runUiUrl } from '../../shared/temporalUi';
import { notificationOf, type EarlierNotificationInput } from '../earlierInputs';
import { withoutSdkRetry } from '../withoutSdkRetry';
import { backfillSucceeded } from '../../shared/backfill';
import { backfillSummaryMessage, backfillSummarySubject, type BackfillSummaryInput } from './backfillSummary';
import { notificationMessage, notificationSubject, type NotificationInput, type RunLocation } from './message';
import { notificationId, notificationIdAttribute } from './notificationId';
import { cutToBytes } from '../textBudget';

export type { NotificationInput } from './message';

export interface NotificationDeps {
  sns: SNSClient;
  /** Base address of the Temporal UI, for the link in every notification. */
  temporalUiUrl?: string;
}

export function createNotificationActivities({ sns, temporalUiUrl }: NotificationDeps) {
  /** The run that scheduled the activity (a pipeline run, a backfill), and its page in the Temporal UI. */
  function currentRun(): RunLocation {
    const { namespace, workflowExecution } = Context.current().info;
    // Only workflows schedule these activities, so the run is known.
    const { workflowId, runId } = workflowExecution!;
    return { workflowId, runId, uiUrl: temporalUiUrl ? runUiUrl(temporalUiUrl, namespace, workflowId, runId) : undefined };
  }

  /** One Publish under the notification's id; it has no idempotency token: the activity's retry, under the same id, is the only retry. */
  async function publish(topicArn: string, id: string, message: { subject: string; body: string; attributes: Record<string, string | undefined> }) {
    const fifo = topicArn.endsWith('.fifo');
    const result = await sns.send(
      withoutSdkRetry(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: message.subject,
          Message: message.body,
          MessageAttributes: stringAttributes({ [notificationIdAttribute]: id, ...message.attributes }),
          ...(fifo && { MessageGroupId: message.attributes.pipeline, MessageDeduplicationId: id }),
        }),
      ),
    );
    return { messageId: result.MessageId ?? '' };
  }

  return {
    async sendNotification(given: NotificationInput | EarlierNotificationInput): Promise<{ messageId: string }> {
      const input = notificationOf(given);
      const run = currentRun();
      return publish(input.topicArn, notificationId(run.workflowId, run.runId, input.outcome), {
        subject: notificationSubject(input),
        body: notificationMessage(input, run),
        attributes: { pipeline: input.pipelineName, date: input.date, outcome: input.outcome, step: input.failedStep },
      });
    },

    /** A backfill's one notification, sent once its dates have ended. */
    async sendBackfillSummary(input: BackfillSummaryInput): Promise<{ messageId: string }> {
      const run = currentRun();
      const outcome = backfillSucceeded(input) ? 'succeeded' : 'failed';
      return publish(input.topicArn, notificationId(run.workflowId, run.runId, outcome), {
        subject: backfillSummarySubject(input),
        body: backfillSummaryMessage(input, run),
        attributes: { pipeline: input.pipelineName, date: `${input.from}..${input.to}`, outcome },
      });
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
