import { createLogger, temporalLogger } from '../../src/worker/logging';

/** The logger as the worker builds it, writing JSON lines into memory; `env` stands in for the worker's environment. */
function capture(env: Record<string, string> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ write: (line: string) => void lines.push(line) }, env);
  return { logger, output: () => lines.join(''), records: () => lines.map((line) => JSON.parse(line)) };
}

const awsSecret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYplanted0001';
const temporalApiKey = 'tmprl-api-key-planted-0002';
const env = { AWS_SECRET_ACCESS_KEY: awsSecret, TEMPORAL_API_KEY: temporalApiKey, LOG_LEVEL: 'info' };

test('credential fields are redacted at any depth; ARNs and ordinary fields are kept', () => {
  const { logger, records } = capture();

  logger.info(
    {
      aws: { region: 'us-east-1', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'abc123secretvalue' } },
      request: { headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/...', 'x-api-key': 'k-123456789' } },
      connections: [
        { host: 'db', password: 'hunter2hunter2' },
        { host: 'db2', sessionToken: 'FQoGZXIvYXdzEXAMPLE' },
      ],
      redshift: { secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-etl', database: 'dev' },
    },
    'connecting',
  );

  expect(records()[0]).toMatchObject({
    msg: 'connecting',
    aws: { region: 'us-east-1', credentials: '[redacted]' },
    request: { headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]' } },
    connections: [
      { host: 'db', password: '[redacted]' },
      { host: 'db2', sessionToken: '[redacted]' },
    ],
    redshift: { secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-etl', database: 'dev' },
  });
});

test('the AWS secret key and Temporal API key from the environment never reach the output', () => {
  const { logger, output, records } = capture(env);

  logger.info(`signing with ${awsSecret}`);
  logger.warn({ detail: { note: `api key ${temporalApiKey} rejected` } }, 'connection refused');
  logger.error({ err: new Error(`bad signature for ${awsSecret}`) }, 'request failed');

  expect(output()).not.toContain(awsSecret);
  expect(output()).not.toContain(temporalApiKey);
  expect(records().map((record) => record.msg)).toEqual(['signing with [redacted]', 'connection refused', 'request failed']);
  expect(records()[1].detail.note).toBe('api key [redacted] rejected');
  expect(records()[2].err.message).toBe('bad signature for [redacted]');
});

test("Temporal's runtime, workflow and activity logs go through the same logger, errors included", () => {
  const { logger, output, records } = capture(env);
  const temporal = temporalLogger(logger);

  temporal.warn('Activity failed', {
    sdkComponent: 'activity',
    workflowId: 'etl-orders-2024-01-15',
    activity: 'runGlueJob',
    error: new Error(`AccessDenied for key ${awsSecret}`),
    credentials: { secretAccessKey: awsSecret },
  });
  temporal.debug('below the level', {});

  expect(records()).toHaveLength(1);
  expect(records()[0]).toMatchObject({
    level: 40,
    msg: 'Activity failed',
    workflowId: 'etl-orders-2024-01-15',
    activity: 'runGlueJob',
    error: { type: 'Error', message: 'AccessDenied for key [redacted]' },
    credentials: '[redacted]',
  });
  expect(output()).not.toContain(awsSecret);
});
