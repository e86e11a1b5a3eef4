import * as path from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import { displayPath } from '../../config/configError';

/** A Step Functions retrier, as Amazon States Language spells it. */
export interface Retrier {
  ErrorEquals?: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}

export interface Catcher {
  ErrorEquals?: string[];
  Next: string;
}

/** One state of the definition; only the fields the importer reads are typed. */
export interface State {
  Type: string;
  Comment?: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  /** A JSONata state's Parameters. */
  Arguments?: Record<string, unknown>;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Default?: string;
  Choices?: { Next?: string }[];
  [field: string]: unknown;
}

export interface StateMachine {
  /** The file as shown in messages. */
  file: string;
  /** The state machine's name in describe-state-machine's output, else the file's: "daily-etl.asl.json" -> "daily-etl". */
  name: string;
  comment?: string;
  startAt: string;
  states: ReadonlyMap<string, State>;
  /** The line of the state's key in the file. */
  lineOf(name: string): number;
}

/** The definition cannot be read as a state machine: nothing is written. */
export class InvalidStateMachineError extends Error {
  constructor(file: string, line: number | undefined, problem: string) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${problem}`);
    this.name = 'InvalidStateMachineError';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses an Amazon States Language definition, or the output of `aws stepfunctions describe-state-machine`,
 * which holds it as text under "definition"; anything that is neither is an InvalidStateMachineError.
 */
export function parseStateMachine(file: string, text: string): StateMachine {
  return parseDefinition(displayPath(file), path.basename(file).replace(/(\.asl)?\.json$/i, ''), text);
}

function parseDefinition(shownFile: string, name: string, text: string): StateMachine {
  const invalid = (problem: string, line?: number) => new InvalidStateMachineError(shownFile, line, problem);
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw invalid(
      `not JSON (${(error as Error).message}): give the state machine's definition, as \`aws stepfunctions describe-state-machine\` prints it under "definition"`,
    );
  }
  // Lines are then those of the definition's own text.
  if (isObject(definition) && definition.StartAt === undefined && typeof definition.definition === 'string') {
    return parseDefinition(`${shownFile} "definition"`, typeof definition.name === 'string' ? definition.name : name, definition.definition);
  }
  if (!isObject(definition) || typeof definition.StartAt !== 'string' || !isObject(definition.States)) {
    throw invalid('not an Amazon States Language definition: it needs "StartAt" (a state name) and "States" (an object of states)');
  }
  const lineOf = stateLines(text);
  const states = new Map<string, State>();
  for (const [name, state] of Object.entries(definition.States)) {
    if (!isObject(state) || typeof state.Type !== 'string') throw invalid(`state "${name}" has no "Type"`, lineOf(name));
    states.set(name, state as State);
  }
  const machine: StateMachine = {
    file: shownFile,
    name,
    ...(typeof definition.Comment === 'string' && { comment: definition.Comment }),
    startAt: definition.StartAt,
    states,
    lineOf: (name) => lineOf(name) ?? 1,
  };
  if (!states.has(machine.startAt)) throw invalid(`"StartAt" names "${machine.startAt}", which is not one of the states (${[...states.keys()].join(', ')})`);
  for (const [name, state] of states) {
    for (const target of transitions(state)) {
      if (!states.has(target)) throw invalid(`state "${name}" goes to "${target}", which is not one of the states`, machine.lineOf(name));
    }
  }
  return machine;
}

/** Every state a state may go to next: Next, a Choice's rules and Default, its Catch handlers. */
function transitions(state: State): string[] {
  const targets = [state.Next, state.Default, ...(state.Choices ?? []).map((choice) => choice.Next), ...(state.Catch ?? []).map((catcher) => catcher.Next)];
  return targets.filter((target): target is string => typeof target === 'string');
}

/**
 * The line of each key of "States". JSON is YAML, so the YAML parser, which keeps positions, reads the text
 * again for them; tabs (JSON whitespace that YAML refuses as indentation) become spaces first.
 */
function stateLines(text: string): (name: string) => number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/\t/g, ' '), { lineCounter, uniqueKeys: false });
  const root = doc.contents;
  const statesEntry = isMap(root) ? root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'States') : undefined;
  const lines = new Map<string, number>();
  if (statesEntry && isMap(statesEntry.value)) {
    for (const pair of statesEntry.value.items) {
      if (isScalar(pair.key) && pair.key.range) lines.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line);
    }
  }
  return (name) => lines.get(name);
}
