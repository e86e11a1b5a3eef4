/** Names (lower case, letters and digits only) whose values are credentials, matched at the end of a key. */
const secretName = /(password|passwd|secret|secretstring|token|apikey|authorization|credentials?|accesskey|accesskeyid|privatekey|payloadkey|cookie)$/;

const censor = '[redacted]';

/** Shorter values are not real secrets, and masking them would mangle ordinary words such as a local "test" key. */
const minimumSecretLength = 8;

/** True for keys such as `secretAccessKey`, `sessionToken`, `x-api-key`, `TEMPORAL_API_KEY`; not `secretArn`. */
function isSecretName(name: string): boolean {
  return secretName.test(name.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** The values of environment variables named like credentials (AWS_SECRET_ACCESS_KEY, TEMPORAL_API_KEY, ...). */
export function secretValuesFrom(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => isSecretName(name) && value !== undefined && value.length >= minimumSecretLength)
    .map(([, value]) => value!);
}

/**
 * Rewrites one JSON log line so that no credential survives: the value of every key named like a
 * credential, at any depth, becomes "[redacted]", and every known secret value is cut out of every
 * string (messages, error stacks, SQL). Working on the finished line covers whatever produced it.
 */
export function lineRedactor(secretValues: string[]): (line: string) => string {
  const maskSecrets = (text: string) => secretValues.reduce((masked, secret) => masked.split(secret).join(censor), text);
  return (line) =>
    `${JSON.stringify(
      JSON.parse(line, (key, value) => (isSecretName(key) ? censor : typeof value === 'string' ? maskSecrets(value) : value)),
    )}\n`;
}
