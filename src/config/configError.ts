import * as path from 'node:path';

/** One problem in a pipeline file: where it is and what is wrong. */
export interface ConfigIssue {
  line?: number;
  /** Dotted key path, such as "steps[2].copy.iamRole" or "steps[0].contract.columns[2].type". */
  key?: string;
  problem: string;
}

/** A file path as the user would type it: relative when it lies inside the working directory. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return relative && !outside ? relative : file;
}

function describeIssue(file: string, { line, key, problem }: ConfigIssue): string {
  return [line === undefined ? file : `${file}:${line}`, key, problem].filter(Boolean).join(': ');
}

/**
 * Every problem with pipeline configuration, as one line: `<file>:<line>: <key.path>: <problem>`.
 * The message names the first problem in the file; `issues` holds all of them.
 */
export class ConfigError extends Error {
  /** The file as shown in the message. */
  readonly file: string;
  readonly line?: number;
  readonly key?: string;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[], message?: string) {
    const shownFile = displayPath(file);
    super(message ?? describeIssue(shownFile, issues[0]));
    this.name = 'ConfigError';
    this.file = shownFile;
    this.line = issues[0].line;
    this.key = issues[0].key;
    this.issues = issues;
  }
}
