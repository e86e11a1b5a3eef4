import { activities } from '../../workflows/activityProxy';
import type { KindRun } from '../run';

export const notifyRun: KindRun<'notify'> = {
  summary: (_step, { pipeline }) => `publish success to ${pipeline.notifications.successTopicArn}`,
  run: async (_step, { pipeline, date, trigger, details }, options) => {
    await activities(options).sendNotification({
      pipelineName: pipeline.name,
      date,
      trigger,
      outcome: 'succeeded',
      topicArn: pipeline.notifications.successTopicArn,
      details: details(),
    });
  },
  describe: () => 'success notification sent',
};
