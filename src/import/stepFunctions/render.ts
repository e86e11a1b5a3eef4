import { Document, isMap, isScalar, isSeq, visit, type Pair } from 'yaml';
import { keyPath } from '../../config/schemaIssues';
import { Unresolved, type StepDraft, type Todo, todoKind } from './draft';
import type { PipelineDraft } from './importStateMachine';
import type { VisitedState } from './walk';

export interface RenderedPipeline {
  text: string;
  todos: Todo[];
}

/** Written before every TODO comment, so a user finds each one by searching for it. */
export const todoMarker = 'TODO(import)';

/** The pipeline file: keys in the order a reader looks for them, comments saying where each step comes from and what is left to do. */
export function renderPipeline(draft: PipelineDraft): RenderedPipeline {
  const todos: (Todo & { path: PropertyKey[] })[] = [];
  const plain = (value: unknown, path: PropertyKey[], owner?: VisitedState): unknown => {
    if (value instanceof Unresolved) {
      todos.push({ path, key: keyPath(path), reason: value.reason, ...(owner && { state: owner.name, line: owner.line }) });
      return value.value;
    }
    if (Array.isArray(value)) return value.map((item, index) => plain(item, [...path, index], owner));
    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value).filter(([, item]) => item !== undefined);
      return Object.fromEntries(entries.map(([key, item]) => [key, plain(item, [...path, key], owner)]));
    }
    return value;
  };

  const pipeline: Record<string, unknown> = {};
  for (const section of draft.sections) {
    if (section.value !== undefined) pipeline[section.key] = plain(section.value, [section.key], section.owner);
  }
  pipeline.steps = draft.steps.map((step, index) => {
    if (step.kind !== todoKind) return plain({ kind: step.kind, ...step.config, options: step.options }, ['steps', index], step.from);
    const reason = step.reason ?? '';
    todos.push({ path: ['steps', index], key: keyPath(['steps', index]), reason, state: step.from.name, line: step.from.line });
    return { kind: todoKind, state: step.from.name, line: step.from.line, reason };
  });

  const doc = new Document(pipeline);
  const todoSummary = todos.length > 0 ? [`${todoMarker}: ${todos.length} thing(s) to resolve, each marked ${todoMarker}; the file is refused until they are.`] : [];
  doc.commentBefore = [...todoSummary, ...draft.notes].map((line) => ` ${line}`).join('\n');
  for (const section of draft.sections) addComments(pairAt(doc, [section.key]), section.notes);
  const steps = doc.get('steps', true);
  draft.steps.forEach((step, index) => {
    const item = isSeq(steps) ? steps.items[index] : undefined;
    if (isMap(item)) item.commentBefore = stepComment(step);
  });
  for (const todo of todos) if (todo.path.length > 2 || todo.path[0] !== 'steps') addComments(pairAt(doc, todo.path), [`${todoMarker}: ${todo.reason}`]);
  flowShortCollections(doc);
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }), todos: todos.map(({ path: _path, ...todo }) => todo) };
}

function stepComment(step: StepDraft): string {
  const from = ` from state "${step.from.name}" (line ${step.from.line})`;
  const notes = step.kind === todoKind ? [`${todoMarker}: ${step.reason}`] : step.notes;
  return [from, ...notes.map((note) => `   ${note}`)].join('\n');
}

function pairAt(doc: Document, path: PropertyKey[]): Pair | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  return parent.items.find((pair) => isScalar(pair.key) && pair.key.value === path[path.length - 1]);
}

function addComments(pair: Pair | undefined, lines: string[]) {
  if (!pair || lines.length === 0 || !isScalar(pair.key)) return;
  const text = lines.map((line) => ` ${line}`).join('\n');
  pair.key.commentBefore = pair.key.commentBefore ? `${pair.key.commentBefore}\n${text}` : text;
}

/** Lists of plain values, and the plain mappings inside a config's lists (contract columns), on one line each. */
function flowShortCollections(doc: Document) {
  const steps = doc.get('steps', true);
  visit(doc, {
    Seq(_key, node) {
      if (node !== steps && node.items.every((item) => isScalar(item))) node.flow = true;
    },
    Map(_key, node, path) {
      const inList = isSeq(path[path.length - 1]) && path[path.length - 1] !== steps;
      if (inList && node.items.every((pair) => isScalar(pair.value) && !(isScalar(pair.key) && pair.key.commentBefore))) node.flow = true;
    },
  });
}
