import { randomUUID } from 'node:crypto';
import type {
  BatchExecuteStatementInput,
  BatchExecuteStatementOutput,
  CancelStatementRequest,
  CancelStatementResponse,
  ColumnMetadata,
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
import { RedshiftDatabases, type RedshiftDatabaseOptions, type SqlOutcome } from './redshiftDatabases';
import { defaultStatementOutcome, ruleMatches, type ResolvedRedshiftRule } from './scripts';
import { tokenize } from './sqlText';
import { toColumnMetadata, toRecords } from './statementResult';

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
  /** The first rule that matched one of the SQL texts, and the index of that SQL; absent: the SQL runs for real. */
  matched?: { rule: ResolvedRedshiftRule; sqlIndex: number };
  /** DescribeStatement calls of this statement so far. */
  polls: number;
  createdAt: string;
  updatedAt: string;
}

export interface RedshiftDataOptions extends RedshiftDatabaseOptions {
  /** Rows per GetStatementResult page (Redshift pages by size, about 100 MB); default 1000. */
  resultPageRows?: number;
}

/** What a (sub-)statement reports once its statement has ended. */
interface SubResult {
  status: StatementStatus;
  error?: string;
  records?: Field[][];
  columns?: ColumnMetadata[];
  /** Rows returned, or rows a DML statement or COPY changed. */
  rows?: number;
}

/** A statement being carried out: its run once picked up, and what it did. */
interface Execution {
  running?: Promise<void>;
  cancelRequested: boolean;
  outcomes?: SqlOutcome[];
}

const validation = 'ValidationException';
const finalStatuses: StatementStatus[] = ['FINISHED', 'FAILED', 'ABORTED'];

/**
 * Redshift Data API statements on the local Redshift. A statement is picked up on its `pollsUntilDone`-th
 * DescribeStatement (1 unless a rule says otherwise; 0: at once), and that poll answers once it has run.
 * A matching rule scripts the outcome instead: FAILED with its error, or FINISHED with its records, without
 * running the SQL; a rule with neither only delays the real run.
 */
export class RedshiftDataEmulator {
  /** Oldest first. */
  private statements: RecordedStatement[] = [];
  private readonly executions = new Map<string, Execution>();
  private readonly databases: RedshiftDatabases;
  private readonly resultPageRows: number;
  private rules: ResolvedRedshiftRule[] = [];

  readonly operations: Operations = {
    ExecuteStatement: (input: ExecuteStatementInput) => this.executeStatement(input),
    BatchExecuteStatement: (input: BatchExecuteStatementInput) => this.batchExecuteStatement(input),
    DescribeStatement: (input: DescribeStatementRequest) => this.describeStatement(input),
    GetStatementResult: (input: GetStatementResultRequest) => this.getStatementResult(input),
    CancelStatement: (input: CancelStatementRequest) => this.cancelStatement(input),
    ListStatements: (input: ListStatementsRequest) => this.listStatements(input),
  };

  constructor({ resultPageRows = 1000, ...databaseOptions }: RedshiftDataOptions = {}) {
    this.databases = new RedshiftDatabases(databaseOptions);
    this.resultPageRows = resultPageRows;
  }

  /** Replaces the rules; the first rule matching any SQL text of a new statement decides its outcome. */
  setRules(rules: ResolvedRedshiftRule[]): void {
    this.rules = [...rules];
  }

  recorded(): RecordedStatement[] {
    return this.statements;
  }

  /** Forgets statements and rules and drops the databases in memory, once the statements running have ended. */
  async reset(): Promise<void> {
    await this.settle();
    this.statements = [];
    this.executions.clear();
    this.rules = [];
    await this.databases.reset();
  }

  /** Waits for statements still running, then closes the databases (those in memory are gone). */
  async close(): Promise<void> {
    await this.settle();
    await this.databases.close();
  }

  private async settle(): Promise<void> {
    await Promise.all([...this.executions.values()].map((execution) => execution.running).filter((running) => running !== undefined));
  }

  private executeStatement(input: ExecuteStatementInput): Promise<ExecuteStatementOutput> {
    requireParameters(input.Parameters);
    return this.submit(input, [requireString(input.Sql, 'Sql', validation)], false);
  }

  private batchExecuteStatement(input: BatchExecuteStatementInput): Promise<BatchExecuteStatementOutput> {
    requireParameters(input.Parameters);
    const sqls: unknown = input.Sqls;
    if (!Array.isArray(sqls) || sqls.length === 0 || !sqls.every((sql): sql is string => typeof sql === 'string' && sql !== '')) {
      throw new AwsError(validation, 'Sqls is required and must be a non-empty list of SQL texts.');
    }
    // A batch's parameters are shared by its SQL texts, and each must be used by one of them.
    const used = new Set(sqls.flatMap((sql) => tokenize(sql).flatMap((token) => (token.kind === 'parameter' ? [token.text] : []))));
    const unused = (input.Parameters ?? []).find(({ name }) => !used.has(`:${name}`));
    if (unused) throw new AwsError(validation, `Parameter :${unused.name} is not used by any of the SQL statements of the batch.`);
    return this.submit(input, sqls, true);
  }

  private async submit(input: ExecuteStatementInput | BatchExecuteStatementInput, sqls: string[], isBatch: boolean): Promise<ExecuteStatementOutput> {
    // A repeated ClientToken returns the statement it first created, as on AWS: that is what makes retries safe.
    const earlier = input.ClientToken && this.statements.find((statement) => statement.clientToken === input.ClientToken);
    if (earlier) return toSubmitted(earlier);
    requireString(input.Database, 'Database', validation);
    if (!input.ClusterIdentifier && !input.WorkgroupName) {
      throw new AwsError(validation, 'Either ClusterIdentifier (provisioned) or WorkgroupName (serverless) is required.');
    }
    for (const member of ['ClusterIdentifier', 'WorkgroupName', 'SecretArn', 'DbUser'] as const) {
      if (input[member] !== undefined) requireString(input[member], member, validation);
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
    this.executions.set(statement.id, { cancelRequested: false });
    await this.advance(statement);
    return toSubmitted(statement);
  }

  private async describeStatement(input: DescribeStatementRequest): Promise<DescribeStatementResponse> {
    const statement = this.statement(input.Id);
    statement.polls += 1;
    await this.advance(statement);
    const results = statement.sqls.map((_, index) => this.subResult(statement, index));
    return {
      ...toSubmitted(statement),
      Status: statement.status,
      Error: statement.error,
      UpdatedAt: new Date(statement.updatedAt),
      Duration: durationNanoseconds(statement),
      QueryString: statement.isBatch ? undefined : statement.sqls[0],
      QueryParameters: statement.parameters,
      ...(statement.isBatch ? { SubStatements: results.map((result, index) => toSubStatement(statement, index, result)) } : resultFigures(results[0])),
    };
  }

  private getStatementResult(input: GetStatementResultRequest): GetStatementResultResponse {
    const id = requireString(input.Id, 'Id', validation);
    const { statement, index } = this.resultSource(id);
    const result = this.subResult(statement, index);
    if (result.status !== 'FINISHED') throw notFound(id, `Statement ${id} has no result: its status is ${result.status}.`);
    if (!result.records) throw notFound(id, 'Query does not have result. Please check query status with DescribeStatement.');
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    if (!Number.isInteger(start) || start < 0 || start > result.records.length) {
      throw new AwsError(validation, `NextToken ${input.NextToken} is not valid for statement ${id}.`);
    }
    const end = start + this.resultPageRows;
    return {
      Records: result.records.slice(start, end),
      ColumnMetadata: result.columns,
      TotalNumRows: result.records.length,
      NextToken: end < result.records.length ? String(end) : undefined,
    };
  }

  /** Aborts a statement that has not ended; one that is running is rolled back first. */
  private async cancelStatement(input: CancelStatementRequest): Promise<CancelStatementResponse> {
    const statement = this.statement(input.Id);
    const execution = this.executions.get(statement.id)!;
    if (!finalStatuses.includes(statement.status)) {
      execution.cancelRequested = true;
      await execution.running;
      // A run may have ended on its own while the cancel waited for it.
      if (!finalStatuses.includes(statement.status) || statement.status === 'ABORTED') {
        this.setStatus(statement, 'ABORTED');
        return { Status: true };
      }
    }
    throw new AwsError(validation, `Could not cancel statement ${statement.id}: it has already ended with ${statement.status}.`);
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

  /** SUBMITTED, PICKED on the first poll, STARTED after; carried out once the outcome's polls are used up. */
  private async advance(statement: RecordedStatement): Promise<void> {
    const execution = this.executions.get(statement.id)!;
    if (execution.running) return execution.running;
    if (finalStatuses.includes(statement.status)) return;
    const outcome = statement.matched?.rule ?? defaultStatementOutcome;
    if (statement.polls < outcome.pollsUntilDone) {
      this.setStatus(statement, statement.polls === 0 ? 'SUBMITTED' : statement.polls === 1 ? 'PICKED' : 'STARTED');
      return;
    }
    if (outcome.finalState === 'FAILED') {
      statement.error = outcome.error ?? `ERROR: failed as scripted by the emulator rule /${statement.matched?.rule.match}/.`;
      this.setStatus(statement, 'FAILED');
    } else if (outcome.records) {
      this.setStatus(statement, 'FINISHED');
    } else {
      execution.running = this.execute(statement, execution);
      await execution.running;
    }
  }

  private async execute(statement: RecordedStatement, execution: Execution): Promise<void> {
    this.setStatus(statement, 'STARTED');
    let outcomes: SqlOutcome[];
    try {
      outcomes = await this.databases.run(
        { workgroupName: statement.workgroupName, clusterIdentifier: statement.clusterIdentifier, database: statement.database! },
        { sqls: statement.sqls, parameters: statement.parameters, inTransaction: statement.isBatch, cancelled: () => execution.cancelRequested },
      );
    } catch (error) {
      statement.error = `ERROR: the local Redshift could not run the statement: ${(error as Error).message}`;
      this.setStatus(statement, 'FAILED');
      return;
    }
    execution.outcomes = outcomes;
    const failed = outcomes.find((outcome) => outcome.status === 'FAILED');
    if (failed?.status === 'FAILED') statement.error = failed.error;
    this.setStatus(statement, failed ? 'FAILED' : outcomes.every((outcome) => outcome.status === 'FINISHED') ? 'FINISHED' : 'ABORTED');
  }

  private subResult(statement: RecordedStatement, index: number): SubResult {
    const outcome = this.executions.get(statement.id)?.outcomes?.[index];
    if (outcome) {
      if (outcome.status !== 'FINISHED') return { status: outcome.status, error: outcome.status === 'FAILED' ? outcome.error : undefined };
      const { result } = outcome;
      return result.fields.length > 0
        ? { status: 'FINISHED', records: toRecords(result), columns: toColumnMetadata(result.fields), rows: result.rows.length }
        : { status: 'FINISHED', rows: result.rowCount ?? 0 };
    }
    return scriptedResult(statement, index);
  }

  private setStatus(statement: RecordedStatement, status: StatementStatus): void {
    if (statement.status === status) return;
    statement.status = status;
    statement.updatedAt = new Date().toISOString();
  }
}

/**
 * A scripted statement, or one not run yet. A batch is one transaction: when one sub-statement fails, those
 * before it are rolled back (but report FINISHED, as on AWS), it reports FAILED and those after it never run
 * (ABORTED). A rule's records belong to the (sub-)statement whose SQL it matched.
 */
function scriptedResult(statement: RecordedStatement, index: number): SubResult {
  const matchedIndex = statement.matched?.sqlIndex ?? 0;
  if (statement.status === 'FAILED' && statement.isBatch && index !== matchedIndex) return { status: index < matchedIndex ? 'FINISHED' : 'ABORTED' };
  if (statement.status === 'FAILED') return { status: 'FAILED', error: statement.error };
  const records = statement.status === 'FINISHED' && matchedIndex === index ? statement.matched?.rule.records : undefined;
  return { status: statement.status, records, rows: records?.length };
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

function resultFigures(result: SubResult): Pick<SubStatementData, 'HasResultSet' | 'ResultRows' | 'ResultSize'> {
  if (result.status !== 'FINISHED') return { HasResultSet: false };
  return {
    HasResultSet: result.records !== undefined,
    ResultRows: result.rows ?? -1,
    ResultSize: result.records ? Buffer.byteLength(JSON.stringify(result.records)) : 0,
  };
}

function toSubStatement(statement: RecordedStatement, index: number, result: SubResult): SubStatementData {
  return {
    Id: `${statement.id}:${index + 1}`,
    QueryString: statement.sqls[index],
    Status: result.status,
    Error: result.error,
    CreatedAt: new Date(statement.createdAt),
    UpdatedAt: new Date(statement.updatedAt),
    ...resultFigures(result),
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

/** Parameters, when given, are a list of `{ name, value }`, both strings, as the Data API requires. */
function requireParameters(parameters: unknown): void {
  if (parameters === undefined) return;
  const wellFormed = (parameter: Partial<Record<keyof SqlParameter, unknown>> | null) =>
    typeof parameter?.name === 'string' && parameter.name !== '' && typeof parameter.value === 'string';
  if (!Array.isArray(parameters) || !parameters.every(wellFormed)) {
    throw new AwsError(validation, 'Parameters must be a list of { name, value }, each a string (the name without its colon).');
  }
}
