import { pathToFileURL } from 'node:url';
import { CreateCrawlerCommand, CreateDatabaseCommand, CreateJobCommand, CreateTableCommand, type GlueClient } from '@aws-sdk/client-glue';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { PipelineConfig, StepOf } from '../config/schema';
import { stepsOfKind } from '../shared/pipelineSteps';
import { createAwsClients, type AwsSettings } from '../aws/awsClients';
import { applyDdl } from './redshiftDdl';

/** Every notification the local stack publishes is copied to this queue, so tests and users can read it back. */
export const notificationQueueName = 'etl-notifications';

export interface ProvisionClients {
  s3: S3Client;
  sns: SNSClient;
  sqs: SQSClient;
  glue: GlueClient;
  redshiftData: RedshiftDataClient;
}

/** Creates what a pipeline needs on the emulated AWS: its bucket, topics, Glue job, table and views. Safe to repeat. */
export async function provisionPipelines(clients: ProvisionClients, pipelines: PipelineConfig[]): Promise<{ queueUrl: string }> {
  const { QueueUrl: queueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: notificationQueueName }));
  const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  for (const pipeline of pipelines) {
    await ignoreAlreadyExists(() => clients.s3.send(new CreateBucketCommand({ Bucket: pipeline.s3.bucket })));
    for (const topicArn of new Set(Object.values(pipeline.notifications))) {
      const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: topicArn.split(':').pop() }));
      await clients.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
    }
    for (const glue of stepsOfKind(pipeline, 'glue')) {
      await ignoreAlreadyExists(() =>
        clients.glue.send(
          new CreateJobCommand({
            Name: glue.jobName,
            Role: 'arn:aws:iam::123456789012:role/GlueJobRole',
            Command: { Name: 'glueetl', ScriptLocation: scriptLocation(pipeline, glue) },
            ExecutionProperty: { MaxConcurrentRuns: 3 },
          }),
        ),
      );
    }
    for (const crawler of stepsOfKind(pipeline, 'crawler')) await provisionCrawler(clients.glue, crawler.name);
    for (const { database, table, values } of stepsOfKind(pipeline, 'partitions')) {
      // The local catalog's table has as many keys as the step gives values: AWS's table already exists.
      const partitionKeys = values.map((_, index) => `key${index + 1}`);
      await provisionCatalog(clients.glue, { database, table, partitionKeys, location: `s3://${pipeline.s3.bucket}/${pipeline.s3.prefixes.processed}` });
    }
    await applyDdl(clients.redshiftData, pipeline);
  }
  return { queueUrl: queueUrl! };
}

/** The local script, which the emulator runs; without one, where a real job's script would be (the emulator only scripts such runs). */
function scriptLocation(pipeline: PipelineConfig, { localScript, jobName }: StepOf<'glue'>): string {
  return localScript ? pathToFileURL(localScript).href : `s3://${pipeline.s3.bucket}/scripts/${jobName}.py`;
}

/** What a partitions step registers into: a Data Catalog table partitioned by `partitionKeys` (strings), rooted at `location`. */
export interface PartitionedTable {
  database: string;
  table: string;
  partitionKeys: string[];
  /** The table's s3:// folder; each partition gets its own location when registered. */
  location: string;
}

/**
 * Creates a partitions step's database and table on the emulated Data Catalog, as Parquet, the sample job's
 * output; the emulator keeps no columns' data, so the table's columns are left empty. Safe to repeat: an
 * existing database or table is left as it is.
 */
export async function provisionCatalog(glue: GlueClient, { database, table, partitionKeys, location }: PartitionedTable): Promise<void> {
  await ignoreAlreadyExists(() => glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database } })));
  await ignoreAlreadyExists(() =>
    glue.send(
      new CreateTableCommand({
        DatabaseName: database,
        TableInput: {
          Name: table,
          TableType: 'EXTERNAL_TABLE',
          PartitionKeys: partitionKeys.map((Name) => ({ Name, Type: 'string' })),
          StorageDescriptor: {
            Location: location,
            Columns: [],
            InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          },
        },
      }),
    ),
  );
}

/** Creates a crawler step's crawler on the emulator, whose crawls succeed unless scripted otherwise. Safe to repeat. */
export async function provisionCrawler(glue: GlueClient, crawlerName: string): Promise<void> {
  await ignoreAlreadyExists(() =>
    glue.send(new CreateCrawlerCommand({ Name: crawlerName, Role: 'arn:aws:iam::123456789012:role/GlueCrawlerRole', Targets: { S3Targets: [] } })),
  );
}

async function ignoreAlreadyExists(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    const name = (err as Error).name;
    if (name !== 'AlreadyExistsException' && name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
  }
}

/** Provisions on the local stack's emulated AWS, with clients made for the purpose. */
export async function provisionLocalPipelines(target: { aws: AwsSettings }, pipelines: PipelineConfig[]) {
  const clients = createAwsClients(target.aws);
  try {
    return await provisionPipelines(clients, pipelines);
  } finally {
    Object.values(clients).forEach((client) => client.destroy());
  }
}
