import type { GlueClient } from '@aws-sdk/client-glue';

/** The region the Glue client talks to, which is where the run's console pages are. */
export function consoleRegion(glue: GlueClient): Promise<string> {
  return glue.config.region();
}

/** The run's page in the Glue console. */
export function glueRunConsoleUrl(region: string, jobName: string, jobRunId: string): string {
  return `https://${region}.console.aws.amazon.com/gluestudio/home?region=${region}#/job/${encodeURIComponent(jobName)}/run/${encodeURIComponent(jobRunId)}`;
}

/** A log stream's page in the CloudWatch console, whose fragment takes names escaped twice, with `$` for `%`. */
export function logStreamConsoleUrl(region: string, logGroup: string, logStream: string): string {
  const escape = (name: string) => encodeURIComponent(encodeURIComponent(name)).replace(/%/g, '$');
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${escape(logGroup)}/log-events/${escape(logStream)}`;
}
