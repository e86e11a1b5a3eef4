import { createHash } from 'node:crypto';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  StatusString,
  type RedshiftDataClient,
  type SqlParameter,
} from '@aws-sdk/client-redshift-data';
import { activityInfo, heartbeat, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { RedshiftConnection } from '../../shared/activityInputs';
import { errorTypes } from '../../shared/errorTypes';
import { pollUntilDone } from '../pollUntilDone';

export interface FinishedBatch {
  statementId: string;
  durationMs?: number;
  /** Rows returned or affected, per SQL statement of the batch, in order. */
  resultRows: (number | undefined)[];
}

export interface Batch {
  sqls: string[];
  statementName: string;
  /** Named parameters (`:date`) the SQL texts use; the Data API refuses one that none of them uses. */
  parameters?: SqlParameter[];
  /** Its one SQL text is submitted on its own (ExecuteStatement), as what cannot run in a transaction must be. */
  outsideTransaction?: boolean;
  /** Tells what the failure of one of the SQL texts means, when there is more to say than Redshift's error text. */
  explainFailure?: (failed: FailedStatement) => ApplicationFailure | undefined;
}

export interface FailedStatement {
  statementId: string;
  /** Which of the batch's SQL texts failed. */
  index: number;
  error?: string;
}

/** What a Redshift attempt heartbeats, so a retry resumes the submitted batch. */
interface StatementProgress {
  statementId: string;
}

/**
 * Runs `sqls` as one transaction and waits for it while holding the worker slot: the load and refresh of runs
 * started before those steps were split into submit, wait and cancel. A retry resumes the batch an earlier
 * attempt submitted instead of submitting it again; a cancelled activity cancels the batch.
 */
export async function runBatch(redshiftData: RedshiftDataClient, redshift: RedshiftConnection, { explainFailure, ...submitted }: Batch): Promise<FinishedBatch> {
  const { statementName } = submitted;
  const resumed = (activityInfo().heartbeatDetails as StatementProgress | undefined)?.statementId;
  const statementId = resumed ?? (await submitBatch(redshiftData, redshift, submitted));
  const progress: StatementProgress = { statementId };
  heartbeat(progress);
  log.info(resumed ? 'Redshift statement resumed' : 'Redshift statement submitted', { statementId, statementName });
  return pollUntilDone({
    interval: redshift.pollInterval,
    progress,
    check: () => finishedBatch(redshiftData, statementId, { statementName, explainFailure }),
    stop: () => cancelStatement(redshiftData, statementId),
  });
}

/**
 * Submits the batch as one transaction, or its one statement on its own; every attempt of the calling activity
 * gets the same statement back.
 */
export async function submitBatch(
  redshiftData: RedshiftDataClient,
  redshift: RedshiftConnection,
  { sqls, statementName, parameters, outsideTransaction }: Pick<Batch, 'sqls' | 'statementName' | 'parameters' | 'outsideTransaction'>,
): Promise<string> {
  const common = {
    StatementName: statementName,
    Parameters: parameters,
    ClientToken: clientToken(),
    Database: redshift.database,
    // Exactly one of each pair is set, as the config schema enforces.
    ClusterIdentifier: redshift.clusterIdentifier,
    WorkgroupName: redshift.workgroupName,
    SecretArn: redshift.secretArn,
    DbUser: redshift.dbUser,
  };
  const { Id } = outsideTransaction
    ? await redshiftData.send(new ExecuteStatementCommand({ Sql: sqls[0], ...common }))
    : await redshiftData.send(new BatchExecuteStatementCommand({ Sqls: sqls, ...common }));
  if (!Id) throw new Error(`Redshift statement ${statementName} was submitted but Redshift returned no statement id`);
  return Id;
}

/**
 * The same for every attempt of this activity, so an attempt that died between submitting and
 * heartbeating gets its batch back from Redshift on retry instead of submitting a second one.
 */
function clientToken(): string {
  const { workflowExecution, activityId } = activityInfo();
  const attempts = `${workflowExecution?.workflowId}/${workflowExecution?.runId}/${activityId}`;
  return createHash('sha256').update(attempts).digest('hex').slice(0, 32);
}

/** The batch once it finished, undefined while it runs; a failed or aborted batch fails the activity. */
export async function finishedBatch(
  redshiftData: RedshiftDataClient,
  statementId: string,
  { statementName, explainFailure }: Pick<Batch, 'statementName' | 'explainFailure'>,
): Promise<FinishedBatch | undefined> {
  const statement = await redshiftData.send(new DescribeStatementCommand({ Id: statementId }));
  switch (statement.Status) {
    case StatusString.FINISHED: {
      const durationNs = reported(statement.Duration);
      return {
        statementId,
        durationMs: durationNs === undefined ? undefined : Math.round(durationNs / 1e6),
        // A statement submitted on its own has no sub-statements: its figures are its own.
        resultRows: statement.SubStatements ? statement.SubStatements.map((sub) => reported(sub.ResultRows)) : [reported(statement.ResultRows)],
      };
    }
    case StatusString.FAILED: {
      const failedIndex = (statement.SubStatements ?? []).findIndex((sub) => sub.Status === StatusString.FAILED);
      const explained = failedIndex >= 0 ? explainFailure?.({ statementId, index: failedIndex, error: statement.Error }) : undefined;
      if (explained) throw explained;
      const failedSql = statement.SubStatements ? statement.SubStatements[failedIndex]?.QueryString : statement.QueryString;
      throw ApplicationFailure.nonRetryable(
        `Redshift statement ${statementName} (${statementId}) failed; nothing was committed: ${statement.Error ?? 'Redshift gave no error text'}`,
        errorTypes.RedshiftStatementFailed,
        { statementId, error: statement.Error, failedSql },
      );
    }
    case StatusString.ABORTED:
      throw ApplicationFailure.nonRetryable(
        `Redshift statement ${statementName} (${statementId}) was aborted before it finished (by a user or a Redshift rule); nothing was committed. Rerun the date to try again.`,
        errorTypes.RedshiftStatementAborted,
        { statementId },
      );
    default:
      return undefined;
  }
}

export async function cancelStatement(redshiftData: RedshiftDataClient, statementId: string): Promise<void> {
  const { Status } = await redshiftData.send(new CancelStatementCommand({ Id: statementId }));
  if (!Status) throw new Error(`Redshift did not cancel statement ${statementId}`);
}

/** The Data API reports -1 for a figure it does not have. */
function reported(value: number | undefined): number | undefined {
  return value !== undefined && value >= 0 ? value : undefined;
}
