import { parseCopy, type CopyCommand } from './redshiftCopyCommand';
import { isWord, significant, SqlTextError, tokenize, type Token } from './sqlText';

/** What one Redshift statement becomes on the local PostgreSQL. */
export type LocalStatement =
  /** Run on PostgreSQL, with Redshift-only clauses taken out. */
  | { kind: 'sql'; tokens: Token[] }
  /** COPY from S3, carried out by the emulator. */
  | { kind: 'copy'; copy: CopyCommand }
  /** Maintenance with no effect on what queries return (ANALYZE, VACUUM): it succeeds and does nothing. */
  | { kind: 'noop' };

/**
 * Translates a Redshift statement for PostgreSQL, or fails it with the error Redshift would give (or, for what
 * the local Redshift cannot do, an error that says so). `inTransaction`: part of a BatchExecuteStatement.
 */
export function translate(sql: string, { inTransaction }: { inTransaction: boolean }): LocalStatement {
  const tokens = tokenize(sql);
  const words = significant(tokens);
  const [first, second] = words;
  if (isWord(first, 'COPY')) return { kind: 'copy', copy: parseCopy(words) };
  if (isWord(first, 'UNLOAD')) throw unsupported('UNLOAD');
  if (isWord(first, 'ANALYZE') && isWord(second, 'COMPRESSION')) throw unsupported('ANALYZE COMPRESSION');
  if (isWord(first, 'VACUUM', 'TRUNCATE') && inTransaction) {
    // Redshift commits the transaction a TRUNCATE or VACUUM runs in, so a batch could not roll back past it.
    const hint = isWord(first, 'TRUNCATE') ? ' Use DELETE FROM to empty a table inside a transaction.' : '';
    throw new SqlTextError(`ERROR: ${first.text.toUpperCase()} cannot run inside a transaction block.${hint}`);
  }
  if (isWord(first, 'ANALYZE', 'VACUUM')) return { kind: 'noop' };
  if (isWord(first, 'CREATE')) {
    const objectType = words.slice(1, 4).find((word) => isWord(word, 'TABLE', 'VIEW', 'EXTERNAL', 'LIBRARY', 'MODEL'));
    if (isWord(objectType, 'EXTERNAL', 'LIBRARY', 'MODEL')) throw unsupported(`CREATE ${objectType!.text.toUpperCase()}`);
    if (isWord(objectType, 'TABLE', 'VIEW')) return { kind: 'sql', tokens: withPostgresTypes(withoutTableAttributes(tokens)) };
  }
  if (isWord(first, 'ALTER') && words.some((word) => isWord(word, 'APPEND'))) throw unsupported('ALTER TABLE APPEND');
  return { kind: 'sql', tokens: withPostgresTypes(tokens) };
}

function unsupported(what: string): SqlTextError {
  return new SqlTextError(`ERROR: ${what} is not supported by the local Redshift (PostgreSQL underneath); run it against a real Redshift cluster or workgroup.`);
}

/**
 * Drops what only shapes Redshift's storage: DISTKEY, SORTKEY ([COMPOUND | INTERLEAVED], column or table
 * level, or AUTO), DISTSTYLE, ENCODE, BACKUP and a materialized view's AUTO REFRESH. The query of a CREATE
 * TABLE AS or a materialized view (after AS) is left as it is.
 */
function withoutTableAttributes(tokens: Token[]): Token[] {
  const kept: Token[] = [];
  let depth = 0;
  let index = 0;
  while (index < tokens.length) {
    const token = tokens[index];
    if (depth === 0 && isWord(token, 'AS')) return [...kept, ...tokens.slice(index)];
    const clauseEnd = attributeClauseEnd(tokens, index, depth, lastSignificant(kept));
    if (clauseEnd === undefined) {
      if (token.text === '(') depth += 1;
      if (token.text === ')') depth -= 1;
      kept.push(token);
      index += 1;
      continue;
    }
    // A table-level clause inside the column list leaves its separating comma behind.
    const previous = lastSignificant(kept);
    if (depth === 1 && previous?.text === ',' && tokens[clauseEnd - 1].text === ')') kept.splice(kept.lastIndexOf(previous), 1);
    index = clauseEnd;
  }
  return kept;
}

/** Where the Redshift storage clause starting at `index` ends (exclusive), or undefined if none starts there. */
function attributeClauseEnd(tokens: Token[], index: number, depth: number, previous: Token | undefined): number | undefined {
  const token = tokens[index];
  if (token.kind !== 'word' || depth > 1) return undefined;
  const after = nextSignificant(tokens, index + 1);
  const atColumnName = depth === 1 && (previous?.text === ',' || previous?.text === '(');
  const keyword = token.text.toUpperCase();
  if (keyword === 'COMPOUND' || keyword === 'INTERLEAVED') {
    return isWord(tokens[after], 'SORTKEY') ? attributeClauseEnd(tokens, after, depth, previous) : undefined;
  }
  if (keyword === 'DISTKEY' || keyword === 'SORTKEY') {
    if (tokens[after]?.text === '(') return closingParenthesis(tokens, after) + 1;
    if (atColumnName) return undefined; // a column named so
    return keyword === 'SORTKEY' && isWord(tokens[after], 'AUTO') ? after + 1 : index + 1;
  }
  if (keyword === 'ENCODE' && !atColumnName && tokens[after]?.kind === 'word') return after + 1;
  if (depth === 0 && (keyword === 'DISTSTYLE' || keyword === 'BACKUP') && tokens[after]?.kind === 'word') return after + 1;
  if (depth === 0 && keyword === 'AUTO' && isWord(tokens[after], 'REFRESH')) return nextSignificant(tokens, after + 1) + 1;
  return undefined;
}

/**
 * VARCHAR(MAX) is Redshift's longest VARCHAR, 65535 bytes; NVARCHAR and NCHAR are its names for VARCHAR and CHAR.
 * GETDATE() is its name for the current time, PostgreSQL's now().
 */
function withPostgresTypes(tokens: Token[]): Token[] {
  return tokens.map((token, index) => {
    if (isWord(token, 'GETDATE') && tokens[nextSignificant(tokens, index + 1)]?.text === '(') return { ...token, text: 'now' };
    if (isWord(token, 'NVARCHAR')) return { ...token, text: 'VARCHAR' };
    if (isWord(token, 'NCHAR')) return { ...token, text: 'CHAR' };
    if (isWord(token, 'MAX') && tokens[previousSignificant(tokens, index)]?.text === '(') {
      const typeName = tokens[previousSignificant(tokens, previousSignificant(tokens, index))];
      if (isWord(typeName, 'VARCHAR', 'NVARCHAR', 'VARYING', 'CHAR', 'CHARACTER', 'NCHAR', 'BPCHAR', 'VARBYTE')) return { ...token, text: '65535' };
    }
    return token;
  });
}

function nextSignificant(tokens: Token[], from: number): number {
  let index = from;
  while (index < tokens.length && (tokens[index].kind === 'space' || tokens[index].kind === 'comment')) index += 1;
  return index;
}

function previousSignificant(tokens: Token[], from: number): number {
  let index = from - 1;
  while (index >= 0 && (tokens[index].kind === 'space' || tokens[index].kind === 'comment')) index -= 1;
  return index;
}

function lastSignificant(tokens: Token[]): Token | undefined {
  return tokens[previousSignificant(tokens, tokens.length)];
}

function closingParenthesis(tokens: Token[], open: number): number {
  let depth = 0;
  for (let index = open; index < tokens.length; index++) {
    if (tokens[index].text === '(') depth += 1;
    if (tokens[index].text === ')' && --depth === 0) return index;
  }
  throw new SqlTextError('ERROR: syntax error at end of input: a parenthesis is not closed.');
}
