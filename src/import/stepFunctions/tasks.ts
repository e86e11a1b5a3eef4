import { Unresolved, todoStep, type Draft, type MappedState } from './draft';
import { functionNameOf, resourceOf } from './resources';
import { lambdaStep } from './lambdas';
import { taskKinds, type ImportMapping } from './mapping';
import { parameter, parameterNames, takesDate, templatedParameters, textParameter } from './parameters';
import { stepOptions } from './retry';
import type { State } from './stateMachine';
import type { VisitedState } from './walk';

// Glue's StartJobRun parameters the glue step takes under its own names; others are named in a note.
const glueRunSettings: Record<string, string> = { ExecutionClass: 'executionClass', WorkerType: 'workerType', NumberOfWorkers: 'numberOfWorkers' };

/** A Task state as the step (or the notification) it stands for. */
export function mapTask(from: VisitedState, mapping: ImportMapping): MappedState {
  const { state } = from;
  const resource = resourceOf(state.Resource ?? '');
  const { options, notes } = stepOptions(state);
  const step = (kind: string, config: Draft, ...more: string[]): MappedState => ({ step: { from, kind, config, options, notes: [...more, ...notes] } });
  switch (resource.service) {
    case 'glueJob':
      return step('glue', glueConfig(state), ...glueNotes(state, resource.waits));
    case 'crawler':
      return step(
        'crawler',
        { name: textParameter(state, 'Name', 'the crawler name') },
        'Step Functions started the crawler without waiting; the step waits for it to finish',
      );
    case 'sql':
      return step('sql', sqlConfig(state, resource.batch));
    case 'sns':
      return { publish: { from, topicArn: textParameter(state, 'TopicArn', 'the topic ARN'), options, notes: [...publishNotes(state), ...notes] } };
    case 'lambda':
      return lambdaStep(from, lambdaFunctionOf(state), mapping);
    case 'unknown':
      return todoStep(
        from,
        `runs ${state.Resource ?? 'no Resource'}, which no step kind does: replace it with a step (${taskKinds.join(', ')}) as states.${from.name} in a mapping file, or drop it`,
      );
  }
}

/** The Lambda function a Task state calls, by its ARN or lambda:invoke's FunctionName; undefined for another resource or a name given at run time. */
export function lambdaFunctionOf(state: State): string | undefined {
  if (state.Type !== 'Task') return undefined;
  const resource = resourceOf(state.Resource ?? '');
  if (resource.service !== 'lambda') return undefined;
  const invoked = parameter(state, 'FunctionName');
  const name = resource.functionName ?? (invoked && 'value' in invoked && typeof invoked.value === 'string' ? invoked.value : undefined);
  return name === undefined ? undefined : functionNameOf(name);
}

function glueConfig(state: State): Draft {
  const args = parameter(state, 'Arguments');
  const config: Draft = { jobName: textParameter(state, 'JobName', 'the Glue job name') };
  if (args && 'path' in args)
    config.arguments = new Unresolved(`the job's arguments: the state takes them from ${args.path} at run time; write them, using {{date}} for the date`);
  else if (args && typeof args.value === 'object' && args.value !== null) config.arguments = templatedParameters(args.value as Record<string, unknown>, 'argument');
  for (const [name, key] of Object.entries(glueRunSettings)) {
    const value = parameter(state, name);
    if (value && 'value' in value) config[key] = value.value;
  }
  return config;
}

function glueNotes(state: State, waits: boolean): string[] {
  const others = parameterNames(state).filter((name) => !['JobName', 'Arguments', ...Object.keys(glueRunSettings)].includes(name));
  return [
    ...(waits ? [] : ['Step Functions started the job without waiting (no .sync); the step waits for the run to finish']),
    ...(others.length > 0 ? [`not carried over from the state's Parameters: ${others.join(', ')}`] : []),
  ];
}

function statements(state: State, batch: boolean): unknown {
  const name = batch ? 'Sqls' : 'Sql';
  const found = parameter(state, name);
  if (found && 'value' in found) {
    const texts = batch ? found.value : [found.value];
    if (Array.isArray(texts) && texts.every((text) => typeof text === 'string')) return texts;
  }
  const why = found && 'path' in found ? `the state takes its ${name} from ${found.path} at run time` : `the state gives no ${name}`;
  return new Unresolved(`the statements: ${why}; write them`);
}

function sqlConfig(state: State, batch: boolean): Draft {
  const config: Draft = { statements: statements(state, batch) };
  const sqlParameters = parameter(state, 'Parameters');
  if (sqlParameters) {
    const date = takesDate(sqlParameters) ? ' (the date among them)' : '';
    config.parameters = new Unresolved(`the statements take Parameters${date}: write them as the sql step binds the date, then delete this key`);
  }
  return config;
}

function publishNotes(state: State): string[] {
  return parameter(state, 'Message') ? ["its Message is replaced by the pipeline's own (pipeline, date, each step's outcome, a link to the run)"] : [];
}

/** The Redshift connection a redshift-data state names, in the pipeline's keys. */
export function redshiftConnection(state: State): Draft | undefined {
  const keys: Record<string, string> = {
    WorkgroupName: 'workgroupName',
    ClusterIdentifier: 'clusterIdentifier',
    Database: 'database',
    SecretArn: 'secretArn',
    DbUser: 'dbUser',
  };
  const connection: Draft = {};
  for (const [name, key] of Object.entries(keys)) {
    const value = parameter(state, name);
    if (value && 'value' in value && typeof value.value === 'string') connection[key] = value.value;
  }
  return Object.keys(connection).length > 0 ? connection : undefined;
}
