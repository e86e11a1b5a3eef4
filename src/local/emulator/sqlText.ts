import type { SqlParameter } from '@aws-sdk/client-redshift-data';

/** A piece of SQL text. Rewrites work on tokens so that nothing inside a literal, identifier or comment is touched. */
export interface Token {
  kind: 'space' | 'comment' | 'string' | 'identifier' | 'word' | 'number' | 'parameter' | 'symbol';
  text: string;
}

const patterns: [Token['kind'], RegExp][] = [
  ['space', /\s+/y],
  ['comment', /--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/y],
  // 'it''s'; Redshift also reads a backslash as an escape inside literals.
  ['string', /'(?:[^'\\]|''|\\[\s\S])*(?:'|$)/y],
  ['string', /\$([A-Za-z_]\w*)?\$[\s\S]*?(?:\$\1\$|$)/y],
  ['identifier', /"(?:[^"]|"")*(?:"|$)/y],
  // A named Data API parameter; `::` (a cast) is two symbols, never a parameter.
  ['parameter', /(?<!:):[A-Za-z_]\w*/y],
  ['word', /[\p{L}_][\p{L}\p{N}_$]*/uy],
  ['number', /\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?/y],
  ['symbol', /::|[\s\S]/y],
];

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < sql.length) {
    for (const [kind, pattern] of patterns) {
      pattern.lastIndex = position;
      const match = pattern.exec(sql);
      if (!match) continue;
      tokens.push({ kind, text: match[0] });
      position += match[0].length;
      break;
    }
  }
  return tokens;
}

export function render(tokens: Token[]): string {
  return tokens.map((token) => token.text).join('');
}

/** The tokens that carry meaning: no whitespace, no comments. */
export function significant(tokens: Token[]): Token[] {
  return tokens.filter((token) => token.kind !== 'space' && token.kind !== 'comment');
}

/** True when the token is the keyword (case-insensitive). */
export function isWord(token: Token | undefined, ...keywords: string[]): boolean {
  return token?.kind === 'word' && keywords.includes(token.text.toUpperCase());
}

/** The value of a string literal token: quotes removed, doubled quotes and Redshift's backslash escapes undone. */
export function literalValue(token: Token): string {
  if (token.text.startsWith('$')) return token.text.replace(/^\$(\w*)\$([\s\S]*)\$\1\$$/, '$2');
  return token.text.slice(1, -1).replace(/''|\\([\s\S])/g, (escape, escaped: string | undefined) => escaped ?? "'");
}

/** The name an identifier token stands for: quoted as written, unquoted folded to lower case as Redshift does. */
export function identifierName(token: Token): string {
  return token.kind === 'identifier' ? token.text.slice(1, -1).replaceAll('""', '"') : token.text.toLowerCase();
}

/**
 * Binds the Data API's named parameters (`:run_date`) as PostgreSQL's positional ones (`$1`), each name one
 * position. Redshift reads backslashes in literals as escapes; PostgreSQL does in E'' literals, so those
 * literals are marked as such.
 */
export function toPostgres(tokens: Token[], parameters: SqlParameter[] = []): { sql: string; params: string[] } {
  const positions = new Map<string, number>();
  const params: string[] = [];
  const rewritten = tokens.map((token): Token => {
    if (token.kind === 'string' && token.text.startsWith("'") && token.text.includes('\\')) return { ...token, text: `E${token.text}` };
    if (token.kind !== 'parameter') return token;
    const name = token.text.slice(1);
    let position = positions.get(name);
    if (position === undefined) {
      const parameter = parameters.find((candidate) => candidate.name === name);
      if (!parameter) throw new SqlTextError(`ERROR: the statement uses the parameter :${name}, which the request's Parameters do not name.`);
      params.push(parameter.value ?? '');
      position = params.length;
      positions.set(name, position);
    }
    return { kind: 'symbol', text: `$${position}` };
  });
  return { sql: render(rewritten), params };
}

/** SQL the emulator refuses before it reaches the database; the message is the statement's error text. */
export class SqlTextError extends Error {}
