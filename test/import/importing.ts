import { parse } from 'yaml';
import { importStateMachine } from '../../src/import/stepFunctions/importStateMachine';
import type { ImportMapping } from '../../src/import/stepFunctions/mapping';
import { renderPipeline } from '../../src/import/stepFunctions/render';
import { parseStateMachine } from '../../src/import/stepFunctions/stateMachine';

export type Step = Record<string, unknown> & { kind: string };

/** A state machine of the given states, in order, each going to the next; the last one ends it. */
export function chain(states: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const names = Object.keys(states);
  const linked = names.map((name, index) => [name, { ...states[name], ...(index < names.length - 1 ? { Next: names[index + 1] } : { End: true }) }]);
  return { StartAt: names[0], States: Object.fromEntries(linked) };
}

/** The definition as JSON text, imported and written: the YAML text, what it holds, and its TODOs. */
export function imported(definition: unknown, mapping: ImportMapping = {}, file = 'machine.asl.json') {
  const json = JSON.stringify(definition, null, 2);
  const { text, todos } = renderPipeline(importStateMachine(parseStateMachine(file, json), mapping));
  const pipeline = parse(text) as Record<string, unknown> & { steps: Step[]; notifications: Record<string, string> };
  // Most cases leave out the notifications, whose TODOs are not their point.
  const stepTodos = todos.filter((todo) => todo.key.startsWith('steps'));
  return { json, text, todos, stepTodos, pipeline, steps: pipeline.steps };
}

export const glueTask = (JobName: string, Arguments: Record<string, string> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::glue:startJobRun.sync',
  Parameters: { JobName, Arguments },
});

export const lambdaTask = (name: string) => ({ Type: 'Task', Resource: `arn:aws:lambda:us-east-1:123456789012:function:${name}` });

export const publish = (topic: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::sns:publish',
  Parameters: { TopicArn: `arn:aws:sns:us-east-1:123456789012:${topic}`, Message: 'done' },
});
