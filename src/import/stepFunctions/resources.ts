/** What a Task state's Resource calls, as far as the importer knows it. */
export type Resource =
  | { service: 'glueJob'; waits: boolean }
  | { service: 'crawler' }
  | { service: 'sql'; batch: boolean }
  | { service: 'sns' }
  /** By an ARN (the name is in it) or through lambda:invoke (the name is in Parameters.FunctionName). */
  | { service: 'lambda'; functionName?: string }
  | { service: 'unknown' };

const integration = String.raw`^arn:aws[a-z-]*:states:::`;
const patterns: [RegExp, (match: RegExpExecArray) => Resource][] = [
  [new RegExp(`${integration}(?:aws-sdk:)?glue:startJobRun(\\.sync(:2)?)?$`), (match) => ({ service: 'glueJob', waits: match[1] !== undefined })],
  [new RegExp(`${integration}(aws-sdk:)?glue:startCrawler$`), () => ({ service: 'crawler' })],
  [
    new RegExp(`${integration}(aws-sdk:)?(redshift-data|redshiftdata):(executeStatement|batchExecuteStatement)$`),
    (match) => ({ service: 'sql', batch: match[3] === 'batchExecuteStatement' }),
  ],
  [new RegExp(`${integration}(aws-sdk:)?sns:publish$`), () => ({ service: 'sns' })],
  [new RegExp(`${integration}lambda:invoke(\\.waitForTaskToken)?$`), () => ({ service: 'lambda' })],
  [/^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)/, (match) => ({ service: 'lambda', functionName: match[1] })],
];

export function resourceOf(resource: string): Resource {
  for (const [pattern, resourceFrom] of patterns) {
    const match = pattern.exec(resource);
    if (match) return resourceFrom(match);
  }
  return { service: 'unknown' };
}

/** "validate-files" from a name, a partial ARN or a full ARN, with or without a version or alias. */
export function functionNameOf(nameOrArn: string): string {
  const parts = nameOrArn.split(':');
  const at = parts.indexOf('function');
  if (at >= 0) return parts[at + 1];
  // "123456789012:function:name" is covered above; "name:alias" keeps the name.
  return parts[0];
}
