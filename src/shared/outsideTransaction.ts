// Redshift refuses to run VACUUM inside a transaction block, and TRUNCATE commits the one it runs in: either
// statement is submitted on its own (ExecuteStatement) rather than as part of a batch.

/** Comments and white space before a statement's first word. */
const leadingNoise = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;

/** The statement's first word, such as VACUUM, upper-cased. */
export function firstWord(sql: string): string {
  return /^\w*/.exec(sql.replace(leadingNoise, ''))![0].toUpperCase();
}

/** True for a statement that cannot be part of a transaction. */
export function runsOutsideTransaction(sql: string): boolean {
  return ['VACUUM', 'TRUNCATE'].includes(firstWord(sql));
}

/** A sql step's one statement that cannot run in a transaction, which is submitted on its own. */
export function runsOnItsOwn(sqls: string[]): boolean {
  return sqls.length === 1 && runsOutsideTransaction(sqls[0]);
}
