import { Document, LineCounter, isAlias, isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml';
import { ConfigError } from './configError';

/** A parsed YAML file that can tell on which line a key sits. */
export interface YamlSource {
  data: unknown;
  /** The line of the deepest part of `path` present in the file: a missing key points at its parent. */
  lineOf(path: readonly PropertyKey[]): number;
}

// The parser words these for programmers; a user needs to know what to change in the file.
const userWording: Record<string, string> = {
  MULTIPLE_DOCS: 'a pipeline file holds one YAML document; remove the second "---"',
};

/** Parses `text` (the content of `file`); syntax errors and empty files become a ConfigError. */
export function parseYaml(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((error) => ({ line: lineAt(error.pos[0]), problem: userWording[error.code] ?? error.message })),
    );
  }
  if (doc.contents === null) {
    throw new ConfigError(file, [
      { line: 1, problem: 'the file is empty: expected a pipeline definition (name, s3, contract, glue, redshift, ...)' },
    ]);
  }
  return { data: doc.toJS(), lineOf: (path) => lineAt(startOf(doc, path)) };
}

/** Offset where the deepest present part of `path` starts: a mapping entry's key, or a list item. */
function startOf(doc: Document, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let start = isNode(node) ? (node.range?.[0] ?? 0) : 0;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const entry = node.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(segment));
      if (!entry || !isScalar(entry.key)) break;
      start = entry.key.range?.[0] ?? start;
      node = entry.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNode(item)) break;
      start = item.range?.[0] ?? start;
      node = item;
    } else {
      break;
    }
  }
  return start;
}
