import { randomUUID } from 'node:crypto';
import type {
  BatchExecuteStatementInput,
  BatchExecuteStatementOutput,
  CancelStatementRequest,
  CancelStatementResponse,
  DescribeStatementRequest,
  DescribeStatementResponse,
  ExecuteStatementInput,
  ExecuteStatementOutput,
  Field,
  GetStatementResultRequest,
  GetStatementResultResponse,
  ListStatementsRequest,
  ListStatementsResponse,
  SqlParameter,
  StatementData,
  SubStatementData,
} from '@aws-sdk/client-redshift-data';
import { pageOf } from './paging';
import { AwsError, requireString, type Operations } from './protocol';
import { defaultStatementOutcome, ruleMatches, type ResolvedRedshiftRule } from './scripts';

export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export interface RecordedStatement {
  id: string;
  /** True for BatchExecuteStatement: one transaction, whose sub-statements have ids `<id>:1`, `<id>:2`, ... */
  isBatch: boolean;
  /** The Sql of ExecuteStatement, or the Sqls of BatchExecuteStatement. */
  sqls: string[];
  parameters?: SqlParameter[];
  database?: string;
  workgroupName?: string;
  clusterIdentifier?: string;
  secretArn?: string;
  dbUser?: string;
  statementName?: string;
  clientToken?: string;
  status: StatementStatus;
  error?: string;
  /** The first rule that matched one of the SQL texts, and the index of that SQL; absent: the default outcome. */
  matched?: { rule: ResolvedRedshiftRule; sqlIndex: number };
  /** DescribeStatement calls of this statement so far. */
  polls: number;
  createdAt: string;
  updatedAt: string;
}

const validation = 'ValidationException';
const finalStatuses: StatementStatus[] = ['FINISHED', 'FAILED', 'ABORTED'];

/** Redshift Data API statements, in memory. Nothing is executed: the rules decide how each statement ends. */
export class RedshiftDataEmulator {
  /** Oldest first. */
  private readonly statements: RecordedStatement[] = [];
  private rules: ResolvedRedshiftRule[] = [];

  readonly operations: Operations = {
    ExecuteStatement: (input: ExecuteStatementInput) => this.executeStatement(input),
    BatchExecuteStatement: (input: BatchExecuteStatementInput) => this.batchExecuteStatement(input),
    DescribeStatement: (input: DescribeStatementRequest) => this.describeStatement(input),
    GetStatementResult: (input: GetStatementResultRequest) => this.getStatementResult(input),
    CancelStatement: (input: CancelStatementRequest) => this.cancelStatement(input),
    ListStatements: (input: ListStatementsRequest) => this.listStatements(input),
  };

  /** Replaces the rules; the first rule matching any SQL text of a new statement decides its outcome. */
  setRules(rules: ResolvedRedshiftRule[]): void {
    this.rules = [...rules];
  }

  recorded(): RecordedStatement[] {
    return this.statements;
  }

  private executeStatement(input: ExecuteStatementInput): ExecuteStatementOutput {
    return this.submit(input, [requireString(input.Sql, 'Sql', validation)], false);
  }

  private batchExecuteStatement(input: BatchExecuteStatementInput): BatchExecuteStatementOutput {
    const sqls: unknown = input.Sqls;
    if (!Array.isArray(sqls) || sqls.length === 0 || !sqls.every((sql) => typeof sql === 'string' && sql !== '')) {
      throw new AwsError(validation, 'Sqls is required and must be a non-empty list of SQL texts.');
    }
    return this.submit(input, sqls, true);
  }

  private submit(input: ExecuteStatementInput | BatchExecuteStatementInput, sqls: string[], isBatch: boolean): ExecuteStatementOutput {
    // A repeated ClientToken returns the statement it first created, as on AWS: that is what makes retries safe.
    const earlier = input.ClientToken && this.statements.find((statement) => statement.clientToken === input.ClientToken);
    if (earlier) return toSubmitted(earlier);
    requireString(input.Database, 'Database', validation);
    if (!input.ClusterIdentifier && !input.WorkgroupName) {
      throw new AwsError(validation, 'Either ClusterIdentifier (provisioned) or WorkgroupName (serverless) is required.');
    }
    const now = new Date().toISOString();
    const statement: RecordedStatement = {
      id: randomUUID(),
      isBatch,
      sqls,
      parameters: input.Parameters,
      database: input.Database,
      workgroupName: input.WorkgroupName,
      clusterIdentifier: input.ClusterIdentifier,
      secretArn: input.SecretArn,
      dbUser: input.DbUser,
      statementName: input.StatementName,
      clientToken: input.ClientToken,
      status: 'SUBMITTED',
      matched: this.matchRule(sqls),
      polls: 0,
      createdAt: now,
      updatedAt: now,
    };
    this.statements.push(statement);
    this.advance(statement);
    return toSubmitted(statement);
  }

  private describeStatement(input: DescribeStatementRequest): DescribeStatementResponse {
    const statement = this.statement(input.Id);
    statement.polls += 1;
    this.advance(statement);
    return {
      ...toSubmitted(statement),
      Status: statement.status,
      Error: statement.error,
      UpdatedAt: new Date(statement.updatedAt),
      Duration: durationNanoseconds(statement),
      QueryString: statement.isBatch ? undefined : statement.sqls[0],
      QueryParameters: statement.parameters,
      ...(statement.isBatch ? { SubStatements: statement.sqls.map((sql, index) => toSubStatement(statement, index)) } : resultSetOf(statement, 0)),
    };
  }

  private getStatementResult(input: GetStatementResultRequest): GetStatementResultResponse {
    const id = requireString(input.Id, 'Id', validation);
    const { statement, index } = this.resultSource(id);
    const status = statusOf(statement, index);
    if (status !== 'FINISHED') throw notFound(id, `Statement ${id} has no result: its status is ${status}.`);
    const records = recordsOf(statement, index) ?? [];
    return { Records: records, TotalNumRows: records.length };
  }

  private cancelStatement(input: CancelStatementRequest): CancelStatementResponse {
    const statement = this.statement(input.Id);
    if (finalStatuses.includes(statement.status)) {
      throw new AwsError(validation, `Could not cancel statement ${statement.id}: it has already ended with ${statement.status}.`);
    }
    this.setStatus(statement, 'ABORTED');
    return { Status: true };
  }

  /** Newest first; StatementName matches as a prefix, as on AWS. */
  private listStatements(input: ListStatementsRequest): ListStatementsResponse {
    const { StatementName: namePrefix, Status: status = 'ALL' } = input;
    const newestFirst = [...this.statements]
      .reverse()
      .filter((statement) => namePrefix === undefined || (statement.statementName ?? '').startsWith(namePrefix))
      .filter((statement) => status === 'ALL' || statement.status === status);
    const { page, nextToken } = pageOf(newestFirst, (statement) => statement.id, input, validation);
    return { Statements: page.map(toStatementData), NextToken: nextToken };
  }

  private statement(id: string | undefined): RecordedStatement {
    const statementId = requireString(id, 'Id', validation);
    const statement = this.statements.find((candidate) => candidate.id === statementId);
    if (!statement) throw notFound(statementId, `Statement ${statementId} not found.`);
    return statement;
  }

  /** GetStatementResult reads a plain statement by its id and a batch's sub-statement by `<id>:<n>`. */
  private resultSource(id: string): { statement: RecordedStatement; index: number } {
    const subStatementId = /^(.+):(\d+)$/.exec(id);
    if (!subStatementId) {
      const statement = this.statement(id);
      if (statement.isBatch) {
        throw new AwsError(validation, `Statement ${id} is a batch: fetch the result of one of its sub-statements, such as ${id}:1.`);
      }
      return { statement, index: 0 };
    }
    const statement = this.statement(subStatementId[1]);
    const index = Number(subStatementId[2]) - 1;
    if (!statement.isBatch || index < 0 || index >= statement.sqls.length) throw notFound(id, `Sub-statement ${id} not found.`);
    return { statement, index };
  }

  private matchRule(sqls: string[]): RecordedStatement['matched'] {
    for (const rule of this.rules) {
      const sqlIndex = sqls.findIndex((sql) => ruleMatches(rule, sql));
      if (sqlIndex >= 0) return { rule, sqlIndex };
    }
    return undefined;
  }

  /** SUBMITTED, PICKED on the first poll, STARTED after; final once the outcome's polls are used up. */
  private advance(statement: RecordedStatement): void {
    if (finalStatuses.includes(statement.status)) return;
    const outcome = statement.matched?.rule ?? defaultStatementOutcome;
    if (statement.polls >= outcome.pollsUntilDone) {
      this.setStatus(statement, outcome.finalState);
      if (outcome.finalState === 'FAILED') {
        statement.error = outcome.error ?? `ERROR: failed as scripted by the emulator rule /${statement.matched?.rule.match}/.`;
      }
    } else {
      this.setStatus(statement, statement.polls === 0 ? 'SUBMITTED' : statement.polls === 1 ? 'PICKED' : 'STARTED');
    }
  }

  private setStatus(statement: RecordedStatement, status: StatementStatus): void {
    if (statement.status === status) return;
    statement.status = status;
    statement.updatedAt = new Date().toISOString();
  }
}

function notFound(resourceId: string, message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message, { ResourceId: resourceId });
}

function toSubmitted(statement: RecordedStatement): ExecuteStatementOutput & { Id: string } {
  return {
    Id: statement.id,
    CreatedAt: new Date(statement.createdAt),
    Database: statement.database,
    DbUser: statement.dbUser,
    SecretArn: statement.secretArn,
    ClusterIdentifier: statement.clusterIdentifier,
    WorkgroupName: statement.workgroupName,
  };
}

/**
 * A batch is one transaction: when one sub-statement fails, those before it are rolled back (but
 * report FINISHED, as on AWS), it reports FAILED and those after it never run (ABORTED).
 */
function statusOf(statement: RecordedStatement, index: number): StatementStatus {
  if (statement.status !== 'FAILED' || !statement.isBatch) return statement.status;
  const failedIndex = statement.matched?.sqlIndex ?? 0;
  if (index < failedIndex) return 'FINISHED';
  return index === failedIndex ? 'FAILED' : 'ABORTED';
}

/** The rule's records belong to the (sub-)statement whose SQL it matched. */
function recordsOf(statement: RecordedStatement, index: number): Field[][] | undefined {
  return statement.matched?.sqlIndex === index ? statement.matched.rule.records : undefined;
}

function resultSetOf(statement: RecordedStatement, index: number): Pick<SubStatementData, 'HasResultSet' | 'ResultRows'> {
  const records = statusOf(statement, index) === 'FINISHED' ? recordsOf(statement, index) : undefined;
  return { HasResultSet: records !== undefined, ResultRows: records?.length };
}

function toSubStatement(statement: RecordedStatement, index: number): SubStatementData {
  const status = statusOf(statement, index);
  return {
    Id: `${statement.id}:${index + 1}`,
    QueryString: statement.sqls[index],
    Status: status,
    Error: status === 'FAILED' ? statement.error : undefined,
    CreatedAt: new Date(statement.createdAt),
    UpdatedAt: new Date(statement.updatedAt),
    ...resultSetOf(statement, index),
  };
}

function toStatementData(statement: RecordedStatement): StatementData {
  return {
    Id: statement.id,
    StatementName: statement.statementName,
    Status: statement.status,
    IsBatchStatement: statement.isBatch,
    QueryString: statement.isBatch ? undefined : statement.sqls[0],
    QueryStrings: statement.isBatch ? statement.sqls : undefined,
    QueryParameters: statement.parameters,
    SecretArn: statement.secretArn,
    CreatedAt: new Date(statement.createdAt),
    UpdatedAt: new Date(statement.updatedAt),
  };
}

/** The Data API reports Duration in nanoseconds, once the statement has ended. */
function durationNanoseconds(statement: RecordedStatement): number | undefined {
  if (!finalStatuses.includes(statement.status)) return undefined;
  return (Date.parse(statement.updatedAt) - Date.parse(statement.createdAt)) * 1_000_000;
}
