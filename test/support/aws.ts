import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startMoto, type MotoServer } from '../../src/local/moto';

export interface LocalAws {
  moto: MotoServer;
  s3: S3Client;
  sns: SNSClient;
  sqs: SQSClient;
  /** Stops the clients and the moto server. */
  stop(): Promise<void>;
}

/** A fresh moto server and the real SDK clients pointed at it. */
export async function startLocalAws(): Promise<LocalAws> {
  const moto = await startMoto();
  const common = {
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  const sns = new SNSClient(common);
  const sqs = new SQSClient(common);
  return {
    moto,
    s3,
    sns,
    sqs,
    async stop() {
      for (const client of [s3, sns, sqs]) client.destroy();
      await moto.stop();
    },
  };
}

export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

export async function putObject(s3: S3Client, bucket: string, key: string, body: string | Uint8Array): Promise<void> {
  const bytes = Buffer.from(body);
  // An explicit length: the SDK cannot tell an empty body from a stream of unknown length.
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentLength: bytes.length }));
}

export async function getObjectBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

/** Every key under the prefix, sorted. */
export async function listKeys(s3: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
  }
  return keys.sort();
}
