import type { GlueClient } from '@aws-sdk/client-glue';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import { createGlueActivities } from './glue/activity';
import { createNotificationActivities } from './notify/activity';
import { createRedshiftActivities } from './redshift/activity';
import { createValidationActivities } from './validation/activity';

export interface ActivityDeps {
  s3: S3Client;
  glue: GlueClient;
  redshiftData: RedshiftDataClient;
  sns: SNSClient;
  temporalUiUrl?: string;
}

/** Every activity the pipeline calls, bound to the AWS clients it talks to. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createValidationActivities(deps),
    ...createGlueActivities(deps),
    ...createRedshiftActivities(deps),
    ...createNotificationActivities(deps),
  };
}

export type PipelineActivities = ReturnType<typeof createActivities>;
