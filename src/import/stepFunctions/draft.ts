import type { VisitedState } from './walk';

/**
 * A value the state machine (and the mapping) did not give: written as `value`, a text the loader refuses for
 * that key, with a `# TODO(import): reason` comment above it.
 */
export class Unresolved {
  constructor(
    readonly reason: string,
    // The part before the first ": " says what is missing; the comment says the rest.
    readonly value: string = `TODO: ${reason.split(': ')[0]}`,
  ) {}
}

/** A step's config, or a pipeline section, as it will be written; values may be Unresolved. */
export type Draft = Record<string, unknown>;

/** The step made from one state; kind "todo" when no step kind does what the state does. */
export interface StepDraft {
  from: VisitedState;
  kind: string;
  config: Draft;
  options?: Draft;
  /** Why the step looks as it does (comments above it). */
  notes: string[];
  /** For kind "todo": why the state could not be mapped. */
  reason?: string;
}

/** What a sns:publish state gives the pipeline: a topic, and the notify step's retries. */
export interface Publish {
  from: VisitedState;
  topicArn: string | Unresolved;
  options?: Draft;
  notes: string[];
}

/** What one state of the main path becomes. */
export type MappedState = { step: StepDraft } | { publish: Publish } | { dropped: string };

/** The kind of a step standing for a state no step kind does: the loader refuses it until it is resolved. */
export const todoKind = 'todo';

export function todoStep(from: VisitedState, reason: string): { step: StepDraft } {
  return { step: { from, kind: todoKind, config: {}, notes: [], reason } };
}

/** Something left for the user to resolve: the state it comes from (with its line) and the key in the pipeline file. */
export interface Todo {
  state?: string;
  line?: number;
  key: string;
  reason: string;
}
