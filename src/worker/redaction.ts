/**
 * Names (lower case, letters and digits only) whose values are credentials, matched at the end of a key. The
 * last ones are the parts of an S3 `SignatureDoesNotMatch` error that repeat the signed request.
 */
const secretName =
  /(password|passwd|secret|secretstring|token|apikey|authorization|credentials?|accesskey|accesskeyid|privatekey|keydata|payloadkey|cookie|signature|signatureprovided|canonicalrequest|canonicalrequestbytes|stringtosign|stringtosignbytes)$/;

/** Last words that name a password after another word: DB_PASS, REDSHIFT_PWD, dbPass (not the shell's PWD, a folder). */
const passwordWord = /^(pass|pwd)$/;

const censor = '[redacted]';

/** Secret values at least this long are cut out wherever they appear; shorter ones only where they stand as a word. */
const wordBoundLength = 8;

/**
 * Credentials inside the text of AWS errors and URLs, whatever their value: a SigV4 signature, credential (access
 * key id and scope) and session token in a query string or an Authorization header, the session token header of
 * a canonical request, the elements of an S3 error body that repeat the signed request, access key ids, and PEM
 * private keys.
 */
const secretPatterns: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, censor],
  [/\b((?:X-Amz-)?(?:Security-Token|Credential|Signature))=[^&,\s"'<>]+/gi, `$1=${censor}`],
  [/^(x-amz-security-token|authorization)[ \t]*:[^\r\n]*/gim, `$1:${censor}`],
  [/<(CanonicalRequest|CanonicalRequestBytes|StringToSign|StringToSignBytes|SignatureProvided|AWSAccessKeyId)>[\s\S]*?<\/\1>/g, `<$1>${censor}</$1>`],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, censor],
];

/** True for keys such as `secretAccessKey`, `sessionToken`, `x-api-key`, `TEMPORAL_API_KEY`, `DB_PASS`; not `secretArn`. */
function isSecretName(name: string): boolean {
  if (secretName.test(name.toLowerCase().replace(/[^a-z0-9]/g, ''))) return true;
  const words = name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
  return words.length > 1 && passwordWord.test(words[words.length - 1].toLowerCase());
}

/** The values of environment variables named like credentials (AWS_SECRET_ACCESS_KEY, TEMPORAL_TLS_CLIENT_KEY_DATA, DB_PASS, ...). */
export function secretValuesFrom(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => isSecretName(name) && value)
    .map(([, value]) => value!);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One expression matching each secret as written, URL-encoded, and (for a multi-line one such as a key) line by line. */
function secretValuesPattern(secretValues: string[]): RegExp | undefined {
  const forms = new Set(
    secretValues.flatMap((value) => [value, encodeURIComponent(value), ...value.split(/\r?\n/).filter((line) => line.trim().length >= wordBoundLength)]),
  );
  const alternatives = [...forms]
    .sort((a, b) => b.length - a.length) // the longest form first, so a secret is never half cut out
    .map((form) => (form.length >= wordBoundLength ? escapeRegExp(form) : `(?<![A-Za-z0-9])${escapeRegExp(form)}(?![A-Za-z0-9])`));
  return alternatives.length ? new RegExp(alternatives.join('|'), 'g') : undefined;
}

/**
 * Rewrites one JSON log line so that no credential survives: the value of every key named like a
 * credential, at any depth, becomes "[redacted]", and every known secret value and every credential in the
 * shapes AWS errors print them is cut out of every string (messages, error stacks, SQL). Working on the
 * finished line covers whatever produced it.
 */
export function lineRedactor(secretValues: string[]): (line: string) => string {
  const knownSecrets = secretValuesPattern(secretValues);
  const maskSecrets = (text: string) =>
    secretPatterns.reduce((masked, [pattern, replacement]) => masked.replace(pattern, replacement), knownSecrets ? text.replace(knownSecrets, censor) : text);
  return (line) =>
    `${JSON.stringify(JSON.parse(line, (key, value: unknown) => (isSecretName(key) ? censor : typeof value === 'string' ? maskSecrets(value) : value)))}\n`;
}
