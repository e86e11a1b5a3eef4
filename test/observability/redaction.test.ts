import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createLogger, temporalLogger } from '../../src/worker/logging';

/**
 * Every credential a worker could hold is planted, then logged the ways a worker logs: its own lines, Temporal's
 * "Activity failed" with the error, and a real S3 SDK error that repeats the signed request. The output is then
 * scanned for each planted value.
 */

const tlsKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const env = {
  AWS_SECRET_ACCESS_KEY: `wJalrXUtnFEMI/${randomBytes(12).toString('base64')}`,
  TEMPORAL_TLS_CLIENT_KEY_DATA: tlsKey,
  REDSHIFT_PASS: 'pw9!',
  ETL_DB_PWD: 'Zq4%',
  TEMPORAL_API_KEY: 'k#7',
};
/** Credentials from the SDK's provider chain (a role, SSO, a profile): they are not in the environment at all. */
const roleCredentials = {
  accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
  secretAccessKey: randomBytes(30).toString('base64'),
  sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(60).toString('base64')}`,
};

/** What S3 answers a request whose signature it cannot reproduce: the request as it saw it, session token included. */
function signatureDoesNotMatch(request: IncomingMessage): string {
  const authorization = String(request.headers.authorization);
  const [, credential, signedHeaders, signature] = /Credential=([^,]+), SignedHeaders=([^,]+), Signature=(\w+)/.exec(authorization)!;
  const canonicalRequest = [
    request.method,
    request.url!.split('?')[0],
    request.url!.split('?')[1] ?? '',
    ...signedHeaders.split(';').map((name) => `${name}:${String(request.headers[name])}`),
    '',
    signedHeaders,
    request.headers['x-amz-content-sha256'],
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', request.headers['x-amz-date'], credential.split('/').slice(1).join('/'), 'e3b0c442'].join('\n');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>' +
    '<Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>' +
    `<AWSAccessKeyId>${credential.split('/')[0]}</AWSAccessKeyId><StringToSign>${stringToSign}</StringToSign>` +
    `<SignatureProvided>${signature}</SignatureProvided><CanonicalRequest>${canonicalRequest}</CanonicalRequest>` +
    '<RequestId>4442587FB7D0A2F9</RequestId></Error>'
  );
}

let s3Endpoint: Server;
let signatureSent = '';
let s3: S3Client;

beforeAll(async () => {
  s3Endpoint = createServer((request, response) => {
    signatureSent = /Signature=(\w+)/.exec(String(request.headers.authorization))![1];
    response.writeHead(403, { 'Content-Type': 'application/xml' }).end(signatureDoesNotMatch(request));
  });
  await new Promise<void>((resolve) => s3Endpoint.listen(0, '127.0.0.1', resolve));
  s3 = new S3Client({
    endpoint: `http://127.0.0.1:${(s3Endpoint.address() as AddressInfo).port}`,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: roleCredentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  s3.destroy();
  await new Promise((resolve) => s3Endpoint.close(resolve));
});

test('no planted credential reaches the output: environment values of any length, a TLS key, and an S3 error repeating the signed request', async () => {
  const lines: string[] = [];
  const logger = createLogger({ write: (line: string) => void lines.push(line) }, env);
  const s3Error = (await s3.send(new GetObjectCommand({ Bucket: 'etl-bucket', Key: 'raw/orders/2024-01-15/orders.csv' })).catch((err: unknown) => err)) as Error;
  expect(s3Error.name).toBe('SignatureDoesNotMatch');
  const presignedUrl =
    'https://etl-bucket.s3.amazonaws.com/raw/orders.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
    `&X-Amz-Credential=${roleCredentials.accessKeyId}%2F20240115%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240115T000000Z` +
    `&X-Amz-Expires=900&X-Amz-Security-Token=${encodeURIComponent(roleCredentials.sessionToken)}&X-Amz-Signature=${signatureSent}` +
    '&X-Amz-SignedHeaders=host';

  logger.error({ err: s3Error }, 'validating raw/orders/2024-01-15/orders.csv failed');
  temporalLogger(logger).warn('Activity failed', { sdkComponent: 'activity', activity: 'validateFiles', error: s3Error });
  logger.info(`downloading ${presignedUrl}`);
  logger.info({ temporal: { tls: { clientKeyData: tlsKey } } }, 'connecting to Temporal with mTLS');
  logger.warn(`cannot read the client key: ${tlsKey.split('\n')[1]} is not PEM`);
  logger.error({ err: new Error(`password authentication failed: "${env.REDSHIFT_PASS}" / "${env.ETL_DB_PWD}" rejected`) }, 'Redshift refused');
  logger.info(`api key ${env.TEMPORAL_API_KEY} and secret ${env.AWS_SECRET_ACCESS_KEY}`);

  const output = lines.join('');
  const planted = {
    ...env,
    ...roleCredentials,
    urlEncodedSessionToken: encodeURIComponent(roleCredentials.sessionToken),
    signature: signatureSent,
    ...Object.fromEntries(
      tlsKey
        .split('\n')
        .filter((line) => line && !line.startsWith('-----'))
        .map((line, i) => [`tlsKeyLine${i}`, line]),
    ),
  };
  expect(Object.entries(planted).filter(([, value]) => output.includes(value))).toEqual([]);
  // What is not a credential stays, so the lines still say what happened.
  const records = lines.map((line) => JSON.parse(line));
  expect(records[0]).toMatchObject({
    msg: 'validating raw/orders/2024-01-15/orders.csv failed',
    err: { name: 'SignatureDoesNotMatch', Code: 'SignatureDoesNotMatch', message: expect.stringContaining('does not match the signature you provided') },
  });
  expect(records[2].msg).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256');
  expect(records[2].msg).toContain('X-Amz-Expires=900');
  expect(records[5].err.message).toBe('password authentication failed: "[redacted]" / "[redacted]" rejected');
  expect(records[6].msg).toBe('api key [redacted] and secret [redacted]');
});

test('a short secret is cut out where it stands as a word, not out of the middle of other words', () => {
  const lines: string[] = [];
  const logger = createLogger({ write: (line: string) => void lines.push(line) }, { DB_PASS: 'abc' });

  logger.info('login abc failed for abcdef at abc.');

  expect(JSON.parse(lines[0]).msg).toBe('login [redacted] failed for abcdef at [redacted].');
});

test("the shell's PWD and OLDPWD are folders, not passwords: paths stay readable", () => {
  const lines: string[] = [];
  const logger = createLogger({ write: (line: string) => void lines.push(line) }, { PWD: '/srv/etl', OLDPWD: '/srv', DB_PWD: 'hunter22' });

  logger.info('reading /srv/etl/config/pipelines/orders.yaml with hunter22');

  expect(JSON.parse(lines[0]).msg).toBe('reading /srv/etl/config/pipelines/orders.yaml with [redacted]');
});
