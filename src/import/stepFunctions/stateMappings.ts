import { Unresolved, type Draft, type MappedState, todoKind } from './draft';
import type { ImportMapping, MappedStep } from './mapping';
import type { StateMachine } from './stateMachine';
import { lambdaFunctionOf } from './tasks';
import type { VisitedState } from './walk';

/** The mapping's `states.<name>`: the step instead, with a kind; else config joined to the step's. */
export function withStateMapping(outcome: MappedState, from: VisitedState, given: MappedStep | undefined): MappedState {
  if (!given) return outcome;
  const { kind, options, ...config } = given;
  if (kind) return { step: { from, kind, config, options: options as Draft | undefined, notes: [`a ${kind} step by the mapping file`] } };
  if (!('step' in outcome) || outcome.step.kind === todoKind) return outcome;
  const { step } = outcome;
  const notes = [...step.notes, `with states.${from.name} of the mapping file`];
  return { step: { ...step, config: joined(step.config, config), options: options ? joined(step.options ?? {}, options as Draft) : step.options, notes } };
}

/** `extra` over `base`, key by key; where both are mappings (a Glue job's arguments), their keys join. */
function joined(base: Draft, extra: Draft): Draft {
  const isDraft = (value: unknown): value is Draft => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unresolved);
  const result: Draft = { ...base };
  for (const [key, value] of Object.entries(extra)) result[key] = isDraft(result[key]) && isDraft(value) ? { ...result[key], ...value } : value;
  return result;
}

/** The mapping's states and Lambda functions that the state machine does not have: most likely typos. */
export function unknownMappedNames(
  machine: StateMachine,
  mapping: ImportMapping,
): { states: string[]; lambdas: string[]; known: { states: string[]; lambdas: string[] } } {
  const states = [...machine.states.keys()];
  const lambdas = [...new Set([...machine.states.values()].flatMap((state) => lambdaFunctionOf(state) ?? []))];
  return {
    states: Object.keys(mapping.states ?? {}).filter((name) => !states.includes(name)),
    lambdas: Object.keys(mapping.lambdas ?? {}).filter((name) => !lambdas.includes(name)),
    known: { states, lambdas },
  };
}
