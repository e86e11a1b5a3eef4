import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GlueClient } from '@aws-sdk/client-glue';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

export type AwsService = 's3' | 'glue' | 'logs' | 'redshiftData' | 'sns' | 'sqs';

/**
 * Where the AWS clients point. Empty means real AWS through the SDK's default chains (region, credentials,
 * and AWS_ENDPOINT_URL_* variables); the local stack fills in its emulator endpoints and test credentials.
 */
export interface AwsSettings {
  region?: string;
  endpoints?: Partial<Record<AwsService, string>>;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * One client per service, built once and injected into the activities. The SDK retries every call up to 5
 * times, except the calls sent through `withoutSdkRetry`.
 */
export function createAwsClients({ region, endpoints = {}, credentials }: AwsSettings = {}) {
  const common = { region, credentials, maxAttempts: 5 };
  // Emulators and S3-compatible endpoints serve buckets by path, not by host name.
  const s3PathStyle = Boolean(endpoints.s3 ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
  return {
    s3: new S3Client({ ...common, endpoint: endpoints.s3, forcePathStyle: s3PathStyle }),
    glue: new GlueClient({ ...common, endpoint: endpoints.glue }),
    // Reads a failed Glue run's error log; AWS_ENDPOINT_URL_CLOUDWATCH_LOGS is its endpoint variable.
    logs: new CloudWatchLogsClient({ ...common, endpoint: endpoints.logs }),
    redshiftData: new RedshiftDataClient({ ...common, endpoint: endpoints.redshiftData }),
    sns: new SNSClient({ ...common, endpoint: endpoints.sns }),
    sqs: new SQSClient({ ...common, endpoint: endpoints.sqs }),
  };
}

export type AwsClients = ReturnType<typeof createAwsClients>;
