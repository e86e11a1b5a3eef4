/** The SDK's own environment variables for a process of ours (a worker, a command) that talks to a test's moto and emulator. */
export function awsEnvironment(
  moto: string,
  emulator: string,
  credentials: { accessKeyId: string; secretAccessKey: string } = { accessKeyId: 'test', secretAccessKey: 'test' },
): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_S3: moto,
    AWS_ENDPOINT_URL_SNS: moto,
    AWS_ENDPOINT_URL_SQS: moto,
    AWS_ENDPOINT_URL_GLUE: emulator,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: emulator,
    AWS_ENDPOINT_URL_REDSHIFT_DATA: emulator,
  };
}
