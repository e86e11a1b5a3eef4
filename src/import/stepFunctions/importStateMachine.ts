import * as path from 'node:path';
import { Unresolved, todoStep, type Draft, type MappedState, type Publish, type StepDraft } from './draft';
import { mapFlowState } from './flowStates';
import type { ImportMapping, LambdaMapping } from './mapping';
import type { StateMachine } from './stateMachine';
import { mapTask, redshiftConnection } from './tasks';
import { walkStateMachine, type CaughtFailure, type VisitedState } from './walk';

/** A top-level key of the pipeline file: its value, the state a TODO in it points to, comments above it. */
export interface Section {
  key: string;
  value: unknown;
  owner?: VisitedState;
  notes: string[];
}

export interface PipelineDraft {
  name: string;
  /** Comments at the top of the file. */
  notes: string[];
  sections: Section[];
  steps: StepDraft[];
}

const needsS3 = ['validate', 'load'];
const needsRedshift = ['load', 'sql', 'refresh'];

/** The pipeline a state machine stands for, in the step-list form, with what could not be mapped left Unresolved. */
export function importStateMachine(machine: StateMachine, mapping: ImportMapping = {}, name?: string): PipelineDraft {
  const walk = walkStateMachine(machine);
  const mapped = walk.main.map((visited) => ({ visited, outcome: mapState(visited, mapping) }));
  const lastStep = lastIndexWhere(mapped, ({ outcome }) => 'step' in outcome);
  const success = chooseTopic(mapped.slice(lastStep + 1), 'success', 'another publish after the first at the end');
  const mainSteps = mapped.map(({ visited, outcome }, index) => {
    if ('publish' in outcome && index < lastStep) return todoStep(visited, 'publishes mid-run: the pipeline notifies once, when the run ends; drop it').step;
    return 'step' in outcome ? withCatches(outcome.step, walk.catches) : undefined;
  });
  const failureMapped = walk.failure.map((visited) => ({ visited, outcome: mapFailureState(visited, mapping) }));
  const failure = chooseTopic(failureMapped, 'failure', 'another publish on the failure path: the pipeline sends one failure alert');
  const failureSteps = failureMapped.map(({ outcome }) => ('step' in outcome ? outcome.step : undefined));
  const notify: StepDraft = {
    from: success.publish?.from ?? walk.main[walk.main.length - 1],
    kind: 'notify',
    config: {},
    options: success.publish?.options ?? failure.publish?.options,
    notes: ['the run ends with one notification: the success topic, or the failure topic when a step failed', ...(success.publish?.notes ?? [])],
  };
  const steps = withIds([...mainSteps, ...failureSteps, ...success.extra, ...failure.extra].filter((step) => step !== undefined).concat(notify));
  const kinds = new Set(steps.map((step) => step.kind));
  const firstOf = (wanted: string[]) => steps.find((step) => wanted.includes(step.kind))?.from;
  const sqlState = steps.find((step) => step.kind === 'sql')?.from.state;

  const sections: Section[] = [
    { key: 'name', value: pipelineName(name ?? mapping.name, machine.file), notes: [] },
    { key: 'description', value: mapping.description ?? machine.comment, notes: [] },
    {
      key: 's3',
      value:
        mapping.s3 ??
        (needsS3.some((kind) => kinds.has(kind))
          ? new Unresolved('the bucket and prefixes (raw, validated, errors, processed) the steps use: give s3 in a mapping file')
          : undefined),
      owner: firstOf(needsS3),
      notes: [],
    },
    {
      key: 'redshift',
      value:
        mapping.redshift ??
        (sqlState && redshiftConnection(sqlState)) ??
        (needsRedshift.some((kind) => kinds.has(kind))
          ? new Unresolved('the Redshift connection (workgroupName or clusterIdentifier, database, secretArn or dbUser): give redshift in a mapping file')
          : undefined),
      owner: firstOf(needsRedshift),
      notes: [],
    },
    {
      key: 'notifications',
      value: {
        successTopicArn: success.publish?.topicArn ?? new Unresolved('the topic a successful run notifies: no sns:publish ends the main path'),
        failureTopicArn: failure.publish?.topicArn ?? new Unresolved('the topic failures are sent to: no Catch leads to an sns:publish'),
      },
      owner: success.publish?.from ?? failure.publish?.from ?? walk.main[walk.main.length - 1],
      notes: catchNotes(walk.catches, steps),
    },
    { key: 'schedule', value: mapping.schedule, notes: [] },
  ];
  return { name: sections[0].value as string, notes: headerNotes(machine, mapped, steps, mapping), sections, steps };
}

function lastIndexWhere<T>(items: T[], test: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index -= 1) if (test(items[index])) return index;
  return -1;
}

function mapState(visited: VisitedState, mapping: ImportMapping): MappedState {
  const outcome = visited.state.Type === 'Task' ? mapTask(visited, mapping) : mapFlowState(visited);
  return withStateMapping(outcome, visited, mapping.states?.[visited.name]);
}

/** The mapping's `states.<name>`: the step instead, with a kind; else config joined to the step's. */
function withStateMapping(outcome: MappedState, from: VisitedState, given: LambdaMapping | undefined): MappedState {
  if (!given) return outcome;
  const { kind, options, ...config } = given;
  if (kind) return { step: { from, kind, config, options: options as Draft | undefined, notes: [`a ${kind} step by the mapping file`] } };
  if (!('step' in outcome) || outcome.step.kind === 'todo') return outcome;
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

/** States the mapping names that the state machine does not have: most likely a typo. */
export function unknownMappedStates(machine: StateMachine, mapping: ImportMapping): string[] {
  return Object.keys(mapping.states ?? {}).filter((name) => !machine.states.has(name));
}

/** On the failure path only a publish (the failure alert) and the states that end it have a place. */
function mapFailureState(visited: VisitedState, mapping: ImportMapping): MappedState {
  const outcome = mapState(visited, mapping);
  if ('step' in outcome) {
    return todoStep(
      visited,
      'runs when a step fails (reached through a Catch): the pipeline then only sends its failure alert; make it a step of the main path, or drop it',
    );
  }
  return outcome;
}

/** The first publish gives the topic; any other becomes a TODO step. */
function chooseTopic(mapped: { visited: VisitedState; outcome: MappedState }[], which: string, otherReason: string): { publish?: Publish; extra: StepDraft[] } {
  const publishes = mapped.flatMap(({ outcome }) => ('publish' in outcome ? [outcome.publish] : []));
  const first = publishes[0]?.topicArn;
  const topic = typeof first === 'string' ? first : 'one named at run time';
  const extra = publishes.slice(1).map((publish) => todoStep(publish.from, `${otherReason}; the ${which} topic is ${topic}`).step);
  return { publish: publishes[0], extra };
}

/** A Catch that carries on along the main path cannot be a step's: the key it adds is refused until resolved. */
function withCatches(step: StepDraft, catches: CaughtFailure[]): StepDraft {
  const resuming = catches.find((caught) => caught.by.name === step.from.name && caught.resumesMainPath);
  if (!resuming) return step;
  const reason = `on a failure the state machine carried on at ${resuming.catcher.Next}; a pipeline stops at a failed step: delete this key, or make the step not fail`;
  return { ...step, config: { ...step.config, catch: new Unresolved(reason) } };
}

/** Step ids: the kind, unless the kind repeats; then each such step is named after its state. */
function withIds(steps: StepDraft[]): StepDraft[] {
  const count = (kind: string) => steps.filter((step) => step.kind === kind).length;
  const taken = new Set<string>();
  return steps.map((step) => {
    if (step.kind === 'todo' || count(step.kind) === 1) return step;
    const base = stepId(step.from.name);
    let id = base;
    for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
    taken.add(id);
    return { ...step, config: { id, ...step.config } };
  });
}

/** "RunGlueJob" -> "run-glue-job"; a step id matches /^[a-z][a-z0-9_-]*$/. */
export function stepId(stateName: string): string {
  const words = stateName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '');
  return words || 'step';
}

/** The name given, else the file's: "daily-etl.asl.json" -> "daily-etl". */
function pipelineName(given: string | undefined, file: string): string {
  return given ?? stepId(path.basename(file).replace(/(\.asl)?\.json$/i, ''));
}

function catchNotes(catches: CaughtFailure[], steps: StepDraft[]): string[] {
  const alerted = catches.filter((caught) => !caught.resumesMainPath);
  if (alerted.length === 0) return [];
  const caughtStates = [...new Set(alerted.map((caught) => caught.by.name))];
  const uncaught = steps.filter((step) => step.kind !== 'notify' && step.kind !== 'todo' && !caughtStates.includes(step.from.name));
  const partial = alerted
    .filter((caught) => !(caught.catcher.ErrorEquals ?? []).includes('States.ALL'))
    .map((caught) => `${caught.by.name} caught only ${(caught.catcher.ErrorEquals ?? []).join(', ')}`);
  return [
    ...(uncaught.length > 0 ? [`Step Functions alerted on failures of ${caughtStates.join(', ')} only; the pipeline alerts once whichever step fails`] : []),
    ...partial.map((text) => `${text}; the pipeline alerts on every failure`),
  ];
}

function headerNotes(machine: StateMachine, mapped: { outcome: MappedState }[], steps: StepDraft[], mapping: ImportMapping): string[] {
  const dropped = mapped.flatMap(({ outcome }) => ('dropped' in outcome ? [outcome.dropped] : []));
  const withoutRetry = steps.filter((step) => step.kind !== 'todo' && step.kind !== 'notify' && !step.from.state.Retry);
  return [
    `Imported from ${machine.file} by \`etl import step-functions\`; each step's comment names the state it comes from.`,
    'A run gets its date as {{date}} (the state machine read it from $.execution_date).',
    ...(withoutRetry.length > 0 ? [`States without Retry (${withoutRetry.map((step) => step.from.name).join(', ')}) get their step kind's own retries.`] : []),
    ...(dropped.length > 0 ? [`Left out: ${dropped.join('; ')}.`] : []),
    ...(mapping.schedule ? [] : ['A state machine holds no schedule (an EventBridge rule starts it): add a schedule block to run it daily.']),
  ];
}
