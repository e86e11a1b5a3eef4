import { errorTypes } from '../../shared/errorTypes';
import { waitingHeartbeatTimeout } from '../../shared/waitingHeartbeats';
import { cleansUp, type StepDefinition } from '../definition';

/** The crawler step kind: what a step of it schedules, its activities' default options, the failures no retry fixes. */
export const crawlerDefinition = {
  title: 'Run Glue crawler',
  activities: ['startCrawler', 'waitForCrawler', 'stopCrawler'],
  defaults: { startToCloseTimeout: '2h', heartbeatTimeout: waitingHeartbeatTimeout, maximumAttempts: 6, cancellationType: cleansUp },
  nonRetryableErrorTypes: [errorTypes.GlueCrawlerFailed, errorTypes.GlueCrawlerNotFound],
  waitsOn: 'a Glue crawl',
} as const satisfies StepDefinition;
