import { mkdirSync } from 'node:fs';
import { EvalWorker } from './evalWorker';

/** Where a database lives: a name unique within the engine, and its folder when it is kept on disk. */
export interface DatabaseLocation {
  name: string;
  /** Absent: in memory, gone when the engine closes. */
  dataDir?: string;
}

export interface SqlField {
  name: string;
  /** PostgreSQL's type name, such as int4, numeric, varchar, date. */
  typeName: string;
}

export interface SqlResult {
  /** Each value as PostgreSQL's text output, or null. */
  rows: (string | null)[][];
  fields: SqlField[];
  /** The command tag's verb, such as SELECT, INSERT, CREATE. */
  command?: string;
  /** Rows returned by a query or changed by INSERT, UPDATE, DELETE. */
  rowCount?: number;
}

/** PostgreSQL's error, with its SQLSTATE code (42P01: undefined table, 22012: division by zero, ...). */
export interface SqlError extends Error {
  code?: string;
  detail?: string;
  hint?: string;
}

type EngineRequest = { query: { database: DatabaseLocation; sql: string; params: (string | null)[] } } | { close: true };

// Runs in the worker thread. Every value comes back as text so that nothing is lost on the way (int8, numeric,
// dates); the caller decides how to present it.
const engineSource = `
  const { parentPort, workerData } = require('node:worker_threads');
  const { PGlite, types } = require(workerData.pglite);
  const databases = new Map();
  // A new database's files: one in memory starts from a copy of them, several times faster than initdb.
  let template;

  async function create(dataDir) {
    if (dataDir) return PGlite.create(dataDir);
    template ??= PGlite.create().then(async (db) => {
      const files = await db.dumpDataDir('none');
      await db.close();
      return files;
    });
    return PGlite.create({ loadDataDir: await template });
  }

  function open({ name, dataDir }) {
    let database = databases.get(name);
    if (!database) {
      database = (async () => {
        const db = await create(dataDir);
        const typeNames = new Map();
        const { rows } = await db.query('SELECT oid::int AS oid, typname FROM pg_catalog.pg_type');
        for (const { oid, typname } of rows) typeNames.set(oid, typname);
        const asText = Object.fromEntries(Object.keys({ ...types.parsers, ...db.parsers }).map((oid) => [oid, (text) => text]));
        return { db, typeNames, asText };
      })();
      databases.set(name, database);
    }
    return database;
  }

  async function query({ database, sql, params }) {
    const { db, typeNames, asText } = await open(database);
    const result = await db.query(sql, params, { rowMode: 'array', parsers: asText });
    return {
      rows: result.rows,
      fields: result.fields.map(({ name, dataTypeID }) => ({ name, typeName: typeNames.get(dataTypeID) ?? 'unknown' })),
      command: result.command,
      rowCount: result.rowCount,
    };
  }

  async function closeAll() {
    const opened = [...databases.values()];
    databases.clear();
    for (const database of opened) await (await database).db.close();
    return {};
  }

  parentPort.on('message', async ({ id, request }) => {
    try {
      parentPort.postMessage({ id, reply: request.close ? await closeAll() : await query(request.query) });
    } catch (error) {
      const { message, code, detail, hint } = error;
      parentPort.postMessage({ id, error: { message: String(message ?? error), code, detail, hint } });
    }
  });
`;

/**
 * PostgreSQL (PGlite, compiled to WebAssembly) in a worker thread: each database opens on its first query,
 * from its folder when it has one. One session per database: callers run one statement at a time.
 */
export class SqlEngine {
  private worker?: EvalWorker<EngineRequest, SqlResult>;

  query(database: DatabaseLocation, sql: string, params: (string | null)[] = []): Promise<SqlResult> {
    if (!this.worker) {
      this.worker = new EvalWorker('PGlite', engineSource, { pglite: require.resolve('@electric-sql/pglite') });
    }
    if (database.dataDir) mkdirSync(database.dataDir, { recursive: true });
    return this.worker.request({ query: { database, sql, params } });
  }

  /** Closes every database: those in memory are gone, those in a folder are flushed and stay there. */
  async closeDatabases(): Promise<void> {
    await this.worker?.request({ close: true });
  }

  /** Closes the databases and ends the engine's thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    try {
      await worker.request({ close: true });
    } finally {
      await worker.close();
    }
  }
}
