import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Client } from '@temporalio/client';
import { createGlueActivities } from './glue/activity';
import { createNotificationActivities } from './notify/activity';
import { createRedshiftActivities } from './redshift/activity';
import { createRunInputActivities } from './runInput';
import { createScheduleActivities } from './temporal/schedules';
import { createRunWatchActivities } from './temporal/waitForPipelineRun';
import { createValidationActivities } from './validation/activity';

export interface ActivityDeps {
  s3: S3Client;
  glue: GlueClient;
  /** Read for a failed Glue run's error log. */
  logs: CloudWatchLogsClient;
  redshiftData: RedshiftDataClient;
  sns: SNSClient;
  /** The worker's own Temporal client: a backfill waits through it for runs it attached to, a scheduled run reads and pauses its schedule. */
  temporal: Client;
  temporalUiUrl?: string;
}

/** Every activity the pipeline and the backfill call, bound to the clients they talk to. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createValidationActivities(deps),
    ...createGlueActivities(deps),
    ...createRedshiftActivities(deps),
    ...createNotificationActivities(deps),
    ...createRunWatchActivities(deps),
    ...createScheduleActivities(deps),
    ...createRunInputActivities(),
  };
}

export type PipelineActivities = ReturnType<typeof createActivities>;
