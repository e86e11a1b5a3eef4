import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  StatusString,
  type Field,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import type { RedshiftConnection } from '../shared/activityInputs';

// One SQL statement through the Redshift Data API, waited for and read to the end: what `etl sql` and the local
// stack's DDL need. (The pipeline's own statements run in activities, which heartbeat and resume instead.)

export type SqlValue = string | number | boolean | null;

export interface SqlResult {
  columns: string[];
  rows: SqlValue[][];
  /** Rows a statement without a result set changed. */
  rowsAffected?: number;
}

/** The statement failed or was aborted; the message is Redshift's. */
export class SqlError extends Error {}

const pollMs = 100;

export async function runSql(redshiftData: RedshiftDataClient, redshift: RedshiftConnection, sql: string): Promise<SqlResult> {
  const { Id } = await redshiftData.send(
    new ExecuteStatementCommand({
      Sql: sql,
      Database: redshift.database,
      ClusterIdentifier: redshift.clusterIdentifier,
      WorkgroupName: redshift.workgroupName,
      SecretArn: redshift.secretArn,
      DbUser: redshift.dbUser,
    }),
  );
  for (;;) {
    const statement = await redshiftData.send(new DescribeStatementCommand({ Id }));
    if (statement.Status === StatusString.FAILED || statement.Status === StatusString.ABORTED) {
      throw new SqlError(statement.Error ?? `the statement was ${statement.Status.toLowerCase()}`);
    }
    if (statement.Status === StatusString.FINISHED) {
      return statement.HasResultSet ? readResult(redshiftData, Id!) : { columns: [], rows: [], rowsAffected: statement.ResultRows };
    }
    await sleep(pollMs);
  }
}

async function readResult(redshiftData: RedshiftDataClient, id: string): Promise<SqlResult> {
  const result: SqlResult = { columns: [], rows: [] };
  let nextToken: string | undefined;
  do {
    const page = await redshiftData.send(new GetStatementResultCommand({ Id: id, NextToken: nextToken }));
    if (page.ColumnMetadata) result.columns = page.ColumnMetadata.map((column) => column.name ?? '?');
    result.rows.push(...(page.Records ?? []).map((record) => record.map(fieldValue)));
    nextToken = page.NextToken;
  } while (nextToken);
  return result;
}

export function fieldValue(field: Field): SqlValue {
  if (field.isNull) return null;
  return field.stringValue ?? field.longValue ?? field.doubleValue ?? field.booleanValue ?? null;
}

/**
 * The statements of a SQL file: each ends with a semicolon at the end of a line (semicolons inside a line, as
 * in a string literal, do not end it); `--` comment lines are dropped.
 */
export function sqlStatements(text: string): string[] {
  const withoutComments = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;[ \t]*(?:--[^\n]*)?\r?$/m)
    .map((statement) => statement.trim())
    .filter(Boolean);
}
