import { identifierName, isWord, literalValue, render, SqlTextError, type Token } from './sqlText';

export type CopyFormat = 'text' | 'csv' | 'json' | 'parquet';

/** A Redshift COPY from S3, as the emulator carries it out. */
export interface CopyCommand {
  /** The table as written, such as `"etl_staging"` or `public.fct_orders`. */
  table: string;
  /** The table's name for messages: its last part, unquoted. */
  tableName: string;
  /** The column list, when given: the file's columns go into these, in order. */
  columns?: string[];
  source: { url: string; bucket: string; prefix: string };
  format: CopyFormat;
  /** Field separator of text ('|') and CSV (','). */
  delimiter: string;
  /** CSV's quote character. */
  quote: string;
  /** Lines skipped at the start of each file. */
  ignoreHeader: number;
  gzip: boolean;
  /** JSON 'auto ignorecase': keys match column names whatever their case. */
  jsonIgnoreCase: boolean;
  /** A field with this text loads as NULL (text's default: \N). */
  nullAs?: string;
  /** Empty CHAR and VARCHAR fields load as NULL rather than ''. */
  emptyAsNull: boolean;
  /** CHAR and VARCHAR fields of only white space load as NULL. */
  blanksAsNull: boolean;
}

/** Options accepted because they change nothing the local S3 and PostgreSQL do. */
const ignoredOptions: Record<string, 'value' | 'optionalValue'> = {
  IAM_ROLE: 'value',
  CREDENTIALS: 'value',
  ACCESS_KEY_ID: 'value',
  SECRET_ACCESS_KEY: 'value',
  SESSION_TOKEN: 'value',
  REGION: 'value',
  COMPUPDATE: 'optionalValue',
  STATUPDATE: 'optionalValue',
};

/** Parses `COPY table [(columns)] FROM 's3://...' options`, from the statement's significant tokens. */
export function parseCopy(words: Token[]): CopyCommand {
  const reader = new TokenReader(words.filter((word, index) => !(index === words.length - 1 && word.text === ';')));
  reader.next(); // COPY
  const tableTokens: Token[] = [reader.name('a table name after COPY')];
  while (reader.peek()?.text === '.') tableTokens.push(reader.next()!, reader.name('a name after "."'));
  let columns: string[] | undefined;
  if (reader.peek()?.text === '(') {
    reader.next();
    columns = [identifierName(reader.name('a column name'))];
    while (reader.peek()?.text === ',') {
      reader.next();
      columns.push(identifierName(reader.name('a column name')));
    }
    reader.expect(')');
  }
  if (isWord(reader.peek(), 'TO')) throw new SqlTextError('ERROR: COPY ... TO is PostgreSQL, not Redshift: use UNLOAD to write query results to S3.');
  reader.expectWord('FROM');
  const url = reader.literal('the S3 location after FROM, as a quoted string');
  const location = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!location) {
    throw new SqlTextError(`ERROR: COPY from ${url} is not supported by the local Redshift: it loads from S3 only (s3://bucket/prefix).`);
  }
  const command: CopyCommand = {
    table: render(tableTokens),
    tableName: identifierName(tableTokens[tableTokens.length - 1]),
    columns,
    source: { url, bucket: location[1], prefix: location[2] },
    format: 'text',
    delimiter: '|',
    quote: '"',
    ignoreHeader: 0,
    gzip: false,
    jsonIgnoreCase: false,
    emptyAsNull: false,
    blanksAsNull: false,
  };
  let delimiter: string | undefined;
  while (reader.peek()) {
    const option = reader.next()!;
    const keyword = option.kind === 'word' ? option.text.toUpperCase() : option.text;
    if (ignoredOptions[keyword]) {
      if (ignoredOptions[keyword] === 'value' || reader.peek()?.kind === 'word') reader.value();
    } else if (keyword === 'FORMAT') {
      reader.optionalWord('AS');
      readFormat(reader, reader.name('a format after FORMAT AS'), command);
    } else if (['CSV', 'JSON', 'PARQUET', 'AVRO', 'ORC'].includes(keyword)) {
      readFormat(reader, option, command);
    } else if (keyword === 'DELIMITER') {
      reader.optionalWord('AS');
      delimiter = reader.literal('the delimiter, as a quoted string');
    } else if (keyword === 'IGNOREHEADER') {
      reader.optionalWord('AS');
      command.ignoreHeader = reader.integer('the number of header lines');
    } else if (keyword === 'GZIP') {
      command.gzip = true;
    } else if (keyword === 'NULL') {
      reader.expectWord('AS');
      command.nullAs = reader.literal('the NULL text, as a quoted string');
    } else if (keyword === 'EMPTYASNULL') {
      command.emptyAsNull = true;
    } else if (keyword === 'BLANKSASNULL') {
      command.blanksAsNull = true;
    } else if (keyword === 'DATEFORMAT' || keyword === 'TIMEFORMAT') {
      reader.optionalWord('AS');
      requireAuto(keyword, reader.literal(`the ${keyword}`));
    } else {
      throw new SqlTextError(
        `ERROR: COPY option ${option.text} is not supported by the local Redshift. It reads: IAM_ROLE, CREDENTIALS, REGION, ` +
          `FORMAT AS PARQUET | CSV | JSON 'auto', DELIMITER, IGNOREHEADER, GZIP, NULL AS, EMPTYASNULL, BLANKSASNULL, DATEFORMAT and TIMEFORMAT 'auto'.`,
      );
    }
  }
  if (delimiter !== undefined) {
    if (command.format === 'json' || command.format === 'parquet') {
      throw new SqlTextError(`ERROR: DELIMITER is not valid with the ${command.format.toUpperCase()} format.`);
    }
    command.delimiter = delimiter;
  } else if (command.format === 'csv') {
    command.delimiter = ',';
  }
  if (command.gzip && command.format === 'parquet') throw new SqlTextError('ERROR: GZIP is not valid with the PARQUET format: Parquet compresses its own pages.');
  if (command.format === 'text') command.nullAs ??= '\\N';
  return command;
}

function readFormat(reader: TokenReader, format: Token, command: CopyCommand): void {
  const name = format.text.toUpperCase();
  if (name === 'CSV') {
    command.format = 'csv';
    if (isWord(reader.peek(), 'QUOTE')) {
      reader.next();
      reader.optionalWord('AS');
      command.quote = reader.literal('the quote character');
    }
  } else if (name === 'JSON') {
    command.format = 'json';
    const mode = reader.peek()?.kind === 'string' ? literalValue(reader.next()!) : 'auto';
    if (mode.toLowerCase() !== 'auto' && mode.toLowerCase() !== 'auto ignorecase') {
      throw new SqlTextError(`ERROR: JSON '${mode}' is not supported by the local Redshift: it reads JSON 'auto' and 'auto ignorecase', not JSONPaths files.`);
    }
    command.jsonIgnoreCase = mode.toLowerCase() === 'auto ignorecase';
  } else if (name === 'PARQUET') {
    command.format = 'parquet';
  } else {
    throw new SqlTextError(`ERROR: FORMAT AS ${name} is not supported by the local Redshift: it reads PARQUET, CSV, JSON and delimited text.`);
  }
}

function requireAuto(option: string, value: string): void {
  if (value.toLowerCase() !== 'auto') {
    throw new SqlTextError(`ERROR: ${option} '${value}' is not supported by the local Redshift: it reads dates and times as PostgreSQL does ('auto').`);
  }
}

/** Reads the significant tokens of a COPY one by one, failing with a syntax error that says what was expected. */
class TokenReader {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.position];
  }

  next(): Token | undefined {
    return this.tokens[this.position++];
  }

  name(expected: string): Token {
    const token = this.peek();
    if (token?.kind !== 'word' && token?.kind !== 'identifier') throw this.syntaxError(expected);
    return this.next()!;
  }

  literal(expected: string): string {
    if (this.peek()?.kind !== 'string') throw this.syntaxError(expected);
    return literalValue(this.next()!);
  }

  integer(expected: string): number {
    if (this.peek()?.kind !== 'number' || !/^\d+$/.test(this.peek()!.text)) throw this.syntaxError(expected);
    return Number(this.next()!.text);
  }

  /** A quoted string, a number or a word (IAM_ROLE default, COMPUPDATE OFF). */
  value(): void {
    if (!this.next()) throw this.syntaxError('a value');
  }

  expect(symbol: string): void {
    if (this.peek()?.text !== symbol) throw this.syntaxError(`"${symbol}"`);
    this.next();
  }

  expectWord(keyword: string): void {
    if (!isWord(this.peek(), keyword)) throw this.syntaxError(keyword);
    this.next();
  }

  /** Skips the keyword if it is next; returns it, or undefined. */
  optionalWord(keyword: string): Token | undefined {
    return isWord(this.peek(), keyword) ? this.next() : undefined;
  }

  private syntaxError(expected: string): SqlTextError {
    const found = this.peek();
    return new SqlTextError(`ERROR: syntax error at or near "${found?.text ?? 'end of input'}" in COPY: expected ${expected}.`);
  }
}
