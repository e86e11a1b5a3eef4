import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { SqlParameter } from '@aws-sdk/client-redshift-data';
import type { LocalS3 } from './emulator';
import { ParquetDecoder } from './parquetFile';
import { runCopy, type CopySources } from './redshiftCopy';
import { translate } from './redshiftDialect';
import { SqlEngine, type DatabaseLocation, type SqlResult } from './sqlEngine';
import { isWord, significant, SqlTextError, tokenize, toPostgres } from './sqlText';

/** Which Redshift database a statement runs in: a serverless workgroup's or a provisioned cluster's. */
export interface RedshiftTarget {
  workgroupName?: string;
  clusterIdentifier?: string;
  database: string;
}

export interface RedshiftDatabaseOptions {
  /** Keeps each database in a folder under this one, so tables outlive the emulator; absent: in memory. */
  dataDir?: string;
  s3?: LocalS3;
}

/** How one SQL text of a statement ended. */
export type SqlOutcome =
  | { status: 'FINISHED'; result: SqlResult }
  | { status: 'FAILED'; error: string }
  /** Not run, or rolled back by a cancel. */
  | { status: 'ABORTED' };

export interface Run {
  sqls: string[];
  parameters?: SqlParameter[];
  /** BatchExecuteStatement: all SQL texts in one transaction. */
  inTransaction: boolean;
  /** Checked before each SQL text and each part of a COPY: true stops the run and rolls it back. */
  cancelled: () => boolean;
}

/**
 * The local Redshift: one PostgreSQL database per workgroup or cluster and database, created on first use.
 * Each Data API statement is a session of its own and statements of one database run one after another.
 */
export class RedshiftDatabases {
  private readonly engine = new SqlEngine();
  private readonly copySources: CopySources;
  /** Per database, the end of the last run queued on it. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly options: RedshiftDatabaseOptions = {}) {
    const { s3 } = options;
    this.copySources = {
      s3: s3 && new S3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, forcePathStyle: true }),
      parquet: new ParquetDecoder(),
    };
  }

  /** Runs the SQL texts, in one transaction when asked; every text after one that failed or was cancelled is ABORTED. */
  run(target: RedshiftTarget, run: Run): Promise<SqlOutcome[]> {
    const database = this.location(target);
    const previous = this.queues.get(database.name) ?? Promise.resolve();
    const outcome = previous.then(() => this.runNow(database, run));
    this.queues.set(
      database.name,
      outcome.catch(() => undefined),
    );
    return outcome;
  }

  /** Drops the databases in memory, after the runs queued on them; those in the data folder stay. */
  async reset(): Promise<void> {
    await Promise.all([...this.queues.values()]);
    this.queues.clear();
    await this.engine.closeDatabases();
  }

  /** Closes the databases (those in memory are gone) and the threads behind them. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()]);
    this.queues.clear();
    await Promise.all([this.engine.close(), this.copySources.parquet.close()]);
    this.copySources.s3?.destroy();
  }

  private location({ workgroupName, clusterIdentifier, database }: RedshiftTarget): DatabaseLocation {
    const owner = workgroupName ? `workgroup-${workgroupName}` : `cluster-${clusterIdentifier}`;
    const folder = join(encodeURIComponent(owner), encodeURIComponent(database));
    return { name: folder, dataDir: this.options.dataDir && join(this.options.dataDir, folder) };
  }

  private async runNow(database: DatabaseLocation, { sqls, parameters, inTransaction, cancelled }: Run): Promise<SqlOutcome[]> {
    const outcomes: SqlOutcome[] = sqls.map(() => ({ status: 'ABORTED' }));
    const runSql = (sql: string, params: (string | null)[] = []) => {
      if (cancelled()) throw new Cancelled();
      return this.engine.query(database, sql, params);
    };
    // A COPY alone is still all or nothing.
    const transaction = inTransaction || sqls.some((sql) => isWord(significant(tokenize(sql))[0], 'COPY'));
    let running = 0;
    try {
      if (transaction) await runSql('BEGIN');
      for (; running < sqls.length; running++) {
        outcomes[running] = { status: 'FINISHED', result: await this.runOne(sqls[running], parameters, inTransaction, runSql) };
      }
      if (transaction) await runSql('COMMIT');
    } catch (error) {
      if (transaction) await this.engine.query(database, 'ROLLBACK');
      // Those before it report FINISHED though rolled back, as on Redshift; a cancelled one stays ABORTED.
      if (!(error instanceof Cancelled)) outcomes[running] = { status: 'FAILED', error: errorText(error) };
    } finally {
      // The next statement is a new session: no temporary tables or settings carry over.
      await this.engine.query(database, 'DISCARD ALL');
    }
    return outcomes;
  }

  private async runOne(
    sql: string,
    parameters: SqlParameter[] | undefined,
    inTransaction: boolean,
    runSql: (sql: string, params?: (string | null)[]) => Promise<SqlResult>,
  ): Promise<SqlResult> {
    const statement = translate(sql, { inTransaction });
    if (statement.kind === 'noop') return { rows: [], fields: [] };
    if (statement.kind === 'copy') {
      const rowCount = await runCopy(statement.copy, runSql, this.copySources);
      return { rows: [], fields: [], command: 'COPY', rowCount };
    }
    const { sql: postgresSql, params } = toPostgres(statement.tokens, parameters);
    return runSql(postgresSql, params);
  }
}

class Cancelled extends Error {}

/** Redshift's error text: PostgreSQL's message after "ERROR: ", as the Data API reports it. */
function errorText(error: unknown): string {
  if (error instanceof SqlTextError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith('ERROR:') ? message : `ERROR: ${message}`;
}
