import { type Document, LineCounter, isAlias, isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml';
import { ConfigError } from './configError';

/** Where a key path sits in the file; a missing key is placed at its nearest present parent. */
export interface KeyLocation {
  line: number;
  present: boolean;
}

/** A parsed YAML file that can tell on which line a key sits. */
export interface YamlSource {
  data: unknown;
  // A function, not a method: callers pass it on (`toConfigIssues(issues, source.locate)`).
  locate: (path: readonly PropertyKey[]) => KeyLocation;
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
    throw new ConfigError(file, [{ line: 1, problem: 'the file is empty: expected a pipeline definition (name, s3, redshift, steps, ...)' }]);
  }
  return {
    data: doc.toJS(),
    locate: (path) => {
      const { offset, present } = findKey(doc, path);
      return { line: lineAt(offset), present };
    },
  };
}

/** Offset where the deepest present part of `path` starts (a mapping entry's key, or a list item). */
function findKey(doc: Document, path: readonly PropertyKey[]): { offset: number; present: boolean } {
  let node: unknown = doc.contents;
  let offset = isNode(node) ? (node.range?.[0] ?? 0) : 0;
  let depth = 0;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const entry = node.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(segment));
      if (!entry || !isScalar(entry.key)) break;
      offset = entry.key.range?.[0] ?? offset;
      node = entry.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNode(item)) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
    depth += 1;
  }
  return { offset, present: depth === path.length };
}
