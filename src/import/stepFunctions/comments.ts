import { type MappedState, type StepDraft, todoKind } from './draft';
import type { ImportMapping } from './mapping';
import type { StateMachine } from './stateMachine';
import type { CaughtFailure, StateMachineWalk } from './walk';

/** Above the notifications: where the state machine's failure alerts differ from the pipeline's one alert. */
export function catchNotes(catches: CaughtFailure[], steps: StepDraft[]): string[] {
  const alerted = catches.filter((caught) => !caught.resumesMainPath);
  if (alerted.length === 0) return [];
  const caughtStates = [...new Set(alerted.map((caught) => caught.by.name))];
  const uncaught = steps.filter((step) => step.kind !== 'notify' && step.kind !== todoKind && !caughtStates.includes(step.from.name));
  const partial = alerted
    .filter((caught) => !(caught.catcher.ErrorEquals ?? []).includes('States.ALL'))
    .map((caught) => `${caught.by.name} caught only ${(caught.catcher.ErrorEquals ?? []).join(', ')}; the pipeline alerts on every failure`);
  return [
    ...(uncaught.length > 0 ? [`Step Functions alerted on failures of ${caughtStates.join(', ')} only; the pipeline alerts once whichever step fails`] : []),
    ...partial,
  ];
}

/** At the top of the file: where it comes from, and what of the state machine it leaves out or changes. */
export function headerNotes(machine: StateMachine, walk: StateMachineWalk, mapped: MappedState[], steps: StepDraft[], mapping: ImportMapping): string[] {
  const dropped = mapped.flatMap((outcome) => ('dropped' in outcome ? [outcome.dropped] : []));
  const walked = new Set([...walk.main, ...walk.failure].map((visited) => visited.name));
  const unreached = [...machine.states.keys()].filter((name) => !walked.has(name));
  const withoutRetry = steps.filter((step) => step.kind !== todoKind && step.kind !== 'notify' && !step.from.state.Retry);
  return [
    `Imported from ${machine.file} by \`etl import step-functions\`; each step's comment names the state it comes from.`,
    'A run gets its date as {{date}} (the state machine read it from $.execution_date).',
    ...(withoutRetry.length > 0 ? [`States without Retry (${withoutRetry.map((step) => step.from.name).join(', ')}) get their step kind's own retries.`] : []),
    ...(dropped.length > 0 ? [`Left out: ${dropped.join('; ')}.`] : []),
    ...(unreached.length > 0 ? [`Not imported, reached only through a Choice rule or not at all: ${unreached.join(', ')}.`] : []),
    ...(mapping.schedule ? [] : ['A state machine holds no schedule (an EventBridge rule starts it): add a schedule block to run it daily.']),
  ];
}
