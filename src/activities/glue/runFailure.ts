import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { GlueClient, JobRun } from '@aws-sdk/client-glue';
import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { errorTypes } from '../../shared/errorTypes';
import { formatCost, type CostConfig } from '../../shared/glueCost';
import { glueLogGroupPrefix } from '../../shared/glueLogs';
import { cutToBytes } from '../textBudget';
import { readLogTail, type LogTail } from './logTail';
import { runFigures } from './runFigures';
import { consoleRegion, glueRunConsoleUrl, logStreamConsoleUrl } from './runLinks';

/** Glue's own message stays whole in the failure's details; in its message it is cut, to leave room for the log's lines. */
const glueMessageBytes = 4 * 1024;

/**
 * GlueJobFailed for a run that ended without succeeding: Glue's error message, then the run's Glue console page
 * and its error log in CloudWatch (near the top, so a bounded alert keeps them) and what the run cost, then the
 * last lines of that log (or why they could not be read). Quoted lines are indented: a block in the Temporal UI's
 * markdown too.
 */
export async function runFailed(
  { glue, logs }: { glue: GlueClient; logs: CloudWatchLogsClient },
  jobName: string,
  run: JobRun & { Id: string },
  cost: CostConfig | undefined,
): Promise<ApplicationFailure> {
  const { Id: jobRunId, JobRunState: state, ErrorMessage: errorMessage } = run;
  const region = await consoleRegion(glue);
  const logGroup = `${(run.LogGroupName ?? glueLogGroupPrefix).replace(/\/+$/, '')}/error`;
  const consoleUrl = glueRunConsoleUrl(region, jobName, jobRunId);
  const errorLogUrl = logStreamConsoleUrl(region, logGroup, jobRunId);
  const tail = await readLogTail(logs, logGroup, jobRunId);
  if ('unreadable' in tail) log.warn("Could not read the failed Glue run's error log", { jobName, jobRunId, logGroup, reason: tail.unreadable });
  const { dpuSeconds, billedDpuSeconds, estimatedCost } = runFigures(run, cost);

  // The first line says what happened; a message of several lines (a traceback) goes on below the links.
  const [firstLine, ...moreLines] = errorMessage ? cutToBytes(errorMessage, glueMessageBytes).split('\n') : [];
  const message = [
    `Glue job ${jobName} run ${jobRunId} ${state}${firstLine === undefined ? ' (Glue gave no error message)' : `: ${firstLine}`}`,
    `Glue console: ${consoleUrl}`,
    `Error log: ${errorLogUrl}`,
    ...(estimatedCost ? [`Billed as it ran: ${Math.round(billedDpuSeconds!)} DPU-seconds, est. ${formatCost(estimatedCost)}`] : []),
    ...(moreLines.length ? ['', "Glue's error message, continued:", ...moreLines.map(indented)] : []),
    '',
    ...tailLines(tail, `its error log (${logGroup}, stream ${jobRunId})`),
  ].join('\n');
  return ApplicationFailure.nonRetryable(message, errorTypes.GlueJobFailed, {
    jobName,
    jobRunId,
    state,
    errorMessage,
    consoleUrl,
    dpuSeconds,
    billedDpuSeconds,
    estimatedCost,
    errorLog: { logGroup, logStream: jobRunId, url: errorLogUrl, ...tail },
  });
}

/** The tail as the message shows it. */
function tailLines(tail: LogTail, errorLog: string): string[] {
  if ('unreadable' in tail) return [`The run failed, but ${errorLog} could not be read: ${tail.unreadable}.`];
  if (tail.lines.length === 0) return [`The run wrote nothing to ${errorLog}.`];
  return [`Last ${tail.lines.length} line(s) of ${errorLog}:`, ...tail.lines.map(indented)];
}

const indented = (line: string) => `    ${line}`;
