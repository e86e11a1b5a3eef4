import type { Todo } from '../../../import/stepFunctions/draft';
import { todoMarker, type RenderedPipeline } from '../../../import/stepFunctions/render';

/** What was written, in one line. */
export function writtenLine(where: string, steps: readonly { kind: string }[], states: number): string {
  return `Wrote ${where}: ${steps.length} step(s) (${steps.map((step) => step.kind).join(', ')}) from ${states} state(s).`;
}

/** Each TODO with the line of its state in the definition, so an editor jumps to it. */
export function todoLines(definition: string, written: string, pipeline: RenderedPipeline): string[] {
  const where = (todo: Todo) => [todo.line === undefined ? definition : `${definition}:${todo.line}`, todo.state, todo.key].filter(Boolean).join(': ');
  return [
    `${pipeline.todos.length} thing(s) could not be mapped; each is marked ${todoMarker} in ${written}, which is refused until they are resolved:`,
    ...[...pipeline.todos].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)).map((todo) => `  ${where(todo)}: ${todo.reason}`),
    'Resolve them in the file, or in a mapping file (states.<state>, lambdas.<function>, s3, redshift) and import again with --mapping.',
  ];
}
