import type { GetLogEventsRequest, GetLogEventsResponse, OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { glueLogGroups } from '../../shared/glueLogs';
import type { ScriptOutput } from './glueScript';
import { AwsError, requireString, type Operations } from './protocol';

const invalidParameter = 'InvalidParameterException';
/** GetLogEvents returns at most this many events a call, as on AWS. */
const maxLimit = 10_000;
/** A stream keeps its newest lines only, so a chatty script cannot fill the emulator's memory. */
const maxEventsPerStream = 10_000;

/**
 * CloudWatch Logs as Glue uses it: the groups `/aws-glue/jobs/output` and `/aws-glue/jobs/error`, each with one
 * stream per run of a local script (named by its run id) holding what the script wrote to stdout or stderr, a
 * line an event. Served is GetLogEvents, with its tokens and time range, from the start or from the end.
 */
export class CloudWatchLogsEmulator {
  private readonly groups = new Map<string, Map<string, OutputLogEvent[]>>(Object.values(glueLogGroups).map((group) => [group, new Map()]));

  readonly operations: Operations = {
    GetLogEvents: (input: GetLogEventsRequest) => this.getLogEvents(input),
  };

  /** The run's streams in both groups, created empty as Glue creates them when the run's driver starts. */
  glueRunOutput(runId: string): ScriptOutput {
    return { stdout: this.openStream(glueLogGroups.output, runId), stderr: this.openStream(glueLogGroups.error, runId) };
  }

  private openStream(logGroup: string, logStream: string): (line: string) => void {
    const events: OutputLogEvent[] = [];
    this.groups.get(logGroup)!.set(logStream, events);
    return (message) => {
      const now = Date.now();
      events.push({ timestamp: now, message, ingestionTime: now });
      if (events.length > maxEventsPerStream) events.shift();
    };
  }

  private getLogEvents(input: GetLogEventsRequest): GetLogEventsResponse {
    const logGroup = groupName(input);
    const logStream = requireString(input.logStreamName, 'logStreamName', invalidParameter);
    const group = this.groups.get(logGroup);
    if (!group) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
    const stream = group.get(logStream);
    if (!stream) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const limit = input.limit ?? maxLimit;
    if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw new AwsError(invalidParameter, `limit must be between 1 and ${maxLimit}; got ${limit}.`);

    const inRange = stream.filter(
      ({ timestamp = 0 }) => (input.startTime === undefined || timestamp >= input.startTime) && (input.endTime === undefined || timestamp < input.endTime),
    );
    const [start, end] = pageBounds(input, inRange.length, limit);
    return { events: inRange.slice(start, end), nextForwardToken: `f/${end}`, nextBackwardToken: `b/${start}` };
  }
}

/** The log group a request names, by logGroupName or by logGroupIdentifier (a name or an ARN), not both. */
function groupName({ logGroupName, logGroupIdentifier }: GetLogEventsRequest): string {
  if (logGroupName !== undefined && logGroupIdentifier !== undefined) {
    throw new AwsError(invalidParameter, 'LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (logGroupIdentifier !== undefined) return logGroupIdentifier.replace(/^arn:[^:]+:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '');
  return requireString(logGroupName, 'logGroupName', invalidParameter);
}

/**
 * Which events a call returns: from a token, the page after (`f/<index>`) or before (`b/<index>`) it; without
 * one, the first events (startFromHead) or, by default, the last.
 */
function pageBounds({ nextToken, startFromHead }: GetLogEventsRequest, count: number, limit: number): [number, number] {
  if (nextToken === undefined) return startFromHead ? [0, Math.min(count, limit)] : [Math.max(0, count - limit), count];
  const token = /^([fb])\/(\d+)$/.exec(nextToken);
  const index = token ? Number(token[2]) : NaN;
  if (!token || index > count) throw new AwsError(invalidParameter, 'The specified nextToken is invalid.');
  return token[1] === 'f' ? [index, Math.min(count, index + limit)] : [Math.max(0, index - limit), index];
}
