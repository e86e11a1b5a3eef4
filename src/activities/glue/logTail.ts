import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { cutToBytes, utf8Length } from '../textBudget';

/** The last lines of a log stream, or why they could not be read. */
export type LogTail = { lines: string[] } | { unreadable: string };

/** Enough of a driver's error log to show the traceback that ended the run. */
const logTailLines = 20;
/** A line longer than this is cut: the tail is for reading in an alert, the whole line is in CloudWatch. */
const lineBytes = 512;
/** The whole tail stays small beside the rest of the alert. */
const tailBytes = 6 * 1024;
/** The run has already failed: a slow CloudWatch must not hold up saying so. */
const readTimeoutMs = 5000;

/**
 * The stream's last `logTailLines` lines (GetLogEvents from its end), bounded in bytes. Never throws: the log
 * only explains a failure already known, so anything that stops the read (no such stream, no permission, a
 * timeout) becomes the reason it was not read.
 */
export async function readLogTail(logs: CloudWatchLogsClient, logGroup: string, logStream: string): Promise<LogTail> {
  const abortSignal = AbortSignal.timeout(readTimeoutMs);
  try {
    const { events = [] } = await logs.send(
      new GetLogEventsCommand({ logGroupName: logGroup, logStreamName: logStream, startFromHead: false, limit: logTailLines }),
      { abortSignal },
    );
    const lines = events.flatMap((event) => (event.message ?? '').replace(/\s+$/, '').split(/\r?\n/));
    return { lines: lastLinesWithin(lines.slice(-logTailLines), tailBytes) };
  } catch (err) {
    return { unreadable: abortSignal.aborted ? `CloudWatch Logs did not answer within ${readTimeoutMs / 1000} s` : whyUnreadable(err, logGroup) };
  }
}

function whyUnreadable(err: unknown, logGroup: string): string {
  const { name, message } = err as { name?: string; message?: string };
  if (name === 'ResourceNotFoundException') {
    return `it does not exist (${message}); Glue writes it once the run's driver starts`;
  }
  if (name === 'AccessDeniedException') {
    return `the worker may not read it (${message}); allow logs:GetLogEvents on log group ${logGroup} to see it here`;
  }
  return `${name ?? 'Error'}: ${message ?? String(err)}`;
}

/** The last lines, each cut to `lineBytes`, that fit in `maxBytes` together. */
function lastLinesWithin(lines: string[], maxBytes: number): string[] {
  const kept: string[] = [];
  let room = maxBytes;
  for (const line of lines.map((each) => cutToBytes(each, lineBytes)).reverse()) {
    room -= utf8Length(line) + 1;
    if (room < 0) break;
    kept.unshift(line);
  }
  return kept;
}
