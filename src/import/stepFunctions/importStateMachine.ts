import { onRedshift } from '../../config/schema';
import { catchNotes, headerNotes } from './comments';
import { Unresolved, todoStep, type MappedState, type Publish, type StepDraft, todoKind } from './draft';
import { mapFlowState } from './flowStates';
import type { ImportMapping } from './mapping';
import type { StateMachine } from './stateMachine';
import { withStateMapping } from './stateMappings';
import { mapTask, redshiftConnection } from './tasks';
import { walkStateMachine, type CaughtFailure, type StateMachineWalk, type VisitedState } from './walk';

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

/** The steps and the topics of the state machine's runs. */
interface MappedRun {
  mapped: MappedState[];
  steps: StepDraft[];
  success?: Publish;
  failure?: Publish;
}

const needsS3 = ['validate', 'load'];

/** The pipeline a state machine stands for, in the step-list form, with what could not be mapped left Unresolved. */
export function importStateMachine(machine: StateMachine, mapping: ImportMapping = {}, name?: string): PipelineDraft {
  const walk = walkStateMachine(machine);
  const run = mapRun(walk, mapping);
  const sections = pipelineSections(machine, walk, run, mapping, name);
  return { name: sections[0].value as string, notes: headerNotes(machine, walk, run.mapped, run.steps, mapping), sections, steps: run.steps };
}

/**
 * The main path's states in order, then what ran on a failure, then the notification: a publish that ends the
 * main path gives the success topic, one reached through Catch (or a polling loop's way out when its work
 * failed) the failure topic; any other publish is a TODO.
 */
function mapRun(walk: StateMachineWalk, mapping: ImportMapping): MappedRun {
  const mapped = walk.main.map((visited) => mapState(visited, mapping));
  const lastStep = lastIndexWhere(mapped, (outcome) => 'step' in outcome);
  const success = chooseTopic(mapped.slice(lastStep + 1), 'success', 'another publish after the first at the end');
  const mainSteps = mapped.map((outcome, index) => {
    if ('publish' in outcome && index < lastStep)
      return todoStep(outcome.publish.from, 'publishes mid-run: the pipeline notifies once, when the run ends; drop it').step;
    return 'step' in outcome ? withCatches(outcome.step, walk.catches) : undefined;
  });
  const failureMapped = walk.failure.map((visited) => mapFailureState(visited, mapping));
  const failure = chooseTopic(failureMapped, 'failure', 'another publish on the failure path: the pipeline sends one failure alert');
  const failureSteps = failureMapped.map((outcome) => ('step' in outcome ? outcome.step : undefined));
  const notify: StepDraft = {
    from: success.publish?.from ?? walk.main[walk.main.length - 1],
    kind: 'notify',
    config: {},
    options: success.publish?.options ?? failure.publish?.options,
    notes: ['the run ends with one notification: the success topic, or the failure topic when a step failed', ...(success.publish?.notes ?? [])],
  };
  const steps = [...mainSteps, ...failureSteps, ...success.extra, ...failure.extra].filter((step) => step !== undefined);
  return { mapped, steps: withIds([...steps, notify]), success: success.publish, failure: failure.publish };
}

function pipelineSections(machine: StateMachine, walk: StateMachineWalk, run: MappedRun, mapping: ImportMapping, name?: string): Section[] {
  const kinds = new Set(run.steps.map((step) => step.kind));
  const firstOf = (wanted: string[]) => run.steps.find((step) => wanted.includes(step.kind))?.from;
  const sqlState = run.steps.find((step) => step.kind === 'sql')?.from.state;
  const missing = (wanted: string[], reason: string) => (wanted.some((kind) => kinds.has(kind)) ? new Unresolved(reason) : undefined);
  return [
    { key: 'name', value: name ?? mapping.name ?? stepId(machine.name), notes: [] },
    { key: 'description', value: mapping.description ?? machine.comment, notes: [] },
    {
      key: 's3',
      value: mapping.s3 ?? missing(needsS3, 'the bucket and prefixes (raw, validated, errors, processed) the steps use: give s3 in a mapping file'),
      owner: firstOf(needsS3),
      notes: [],
    },
    {
      key: 'redshift',
      value:
        mapping.redshift ??
        (sqlState && redshiftConnection(sqlState)) ??
        missing(onRedshift, 'the Redshift connection (workgroupName or clusterIdentifier, database, secretArn or dbUser): give redshift in a mapping file'),
      owner: firstOf(onRedshift),
      notes: [],
    },
    {
      key: 'notifications',
      value: {
        successTopicArn: run.success?.topicArn ?? new Unresolved('the topic a successful run notifies: no sns:publish ends the main path'),
        failureTopicArn: run.failure?.topicArn ?? new Unresolved('the topic failures are sent to: no Catch leads to an sns:publish'),
      },
      owner: run.success?.from ?? run.failure?.from ?? walk.main[walk.main.length - 1],
      notes: catchNotes(walk.catches, run.steps),
    },
    { key: 'schedule', value: mapping.schedule, notes: [] },
  ];
}

function lastIndexWhere<T>(items: T[], test: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index -= 1) if (test(items[index])) return index;
  return -1;
}

function mapState(visited: VisitedState, mapping: ImportMapping): MappedState {
  if (visited.pollsFor) return { dropped: `${visited.name} (${visited.state.Type}, polling ${visited.pollsFor}, whose step waits for its own work)` };
  const outcome = visited.state.Type === 'Task' ? mapTask(visited, mapping) : mapFlowState(visited);
  return withStateMapping(outcome, visited, mapping.states?.[visited.name]);
}

/** On the failure path only a publish (the failure alert) and the states that end it have a place. */
function mapFailureState(visited: VisitedState, mapping: ImportMapping): MappedState {
  const outcome = mapState(visited, mapping);
  if (!('step' in outcome)) return outcome;
  return todoStep(
    visited,
    'runs when a step fails (reached through a Catch): the pipeline then only sends its failure alert; make it a step of the main path, or drop it',
  );
}

/** The first publish gives the topic; any other becomes a TODO step. */
function chooseTopic(mapped: MappedState[], which: string, otherReason: string): { publish?: Publish; extra: StepDraft[] } {
  const publishes = mapped.flatMap((outcome) => ('publish' in outcome ? [outcome.publish] : []));
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
    if (step.kind === todoKind || count(step.kind) === 1) return step;
    const base = stepId(step.from.name);
    let id = base;
    for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
    taken.add(id);
    return { ...step, config: { id, ...step.config } };
  });
}

/** "RunGlueJob" -> "run-glue-job"; a step id matches /^[a-z][a-z0-9_-]*$/. */
function stepId(stateName: string): string {
  const words = stateName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '');
  return words || 'step';
}
