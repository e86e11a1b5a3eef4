import { Unresolved } from './draft';
import type { State } from './stateMachine';

/** Where a run's date arrives in the state machine's input (JSONPath, JSONata); taken from there it becomes "{{date}}". */
const datePaths = ['$.execution_date', '$states.input.execution_date'];

/** A parameter as written ("Name") or computed at run time ("Name.$": a JSONPath, or a JSONata "{% ... %}" value). */
export type Parameter = { value: unknown } | { path: string };

/** A JSONata expression, "{% $states.input.x %}", without its braces. */
function jsonata(value: unknown): string | undefined {
  return typeof value === 'string' ? /^\{%([\s\S]*)%\}$/.exec(value)?.[1].trim() : undefined;
}

/** A name of the state's Parameters (JSONPath states) or Arguments (JSONata states). */
export function parameter(state: State, name: string): Parameter | undefined {
  const parameters = state.Parameters ?? state.Arguments ?? {};
  if (`${name}.$` in parameters) return { path: String(parameters[`${name}.$`]) };
  if (!(name in parameters)) return undefined;
  const expression = jsonata(parameters[name]);
  return expression === undefined ? { value: parameters[name] } : { path: expression };
}

/** The names a state's Parameters or Arguments give, without the ".$" of computed ones. */
export function parameterNames(state: State): string[] {
  return Object.keys(state.Parameters ?? state.Arguments ?? {}).map((key) => key.replace(/\.\$$/, ''));
}

/** A text parameter the step needs; missing or computed at run time, it is Unresolved saying so. */
export function textParameter(state: State, name: string, what: string): string | Unresolved {
  const found = parameter(state, name);
  if (found && 'value' in found && typeof found.value === 'string') return found.value;
  if (found && 'path' in found) return new Unresolved(`${what}: the state takes its ${name} from ${found.path} at run time; write the ${what} itself`);
  return new Unresolved(`${what}: the state gives no ${name}`);
}

/** Whether a parameter (or anything inside it) takes the run's date. */
export function takesDate(found: Parameter): boolean {
  return datePaths.some((path) => JSON.stringify(found).includes(path));
}

/**
 * Parameters as the step writes them: one taken from the date becomes "{{date}}"; any other computed value is
 * Unresolved, written as an unknown placeholder so the loader refuses it.
 */
export function templatedParameters(parameters: Record<string, unknown>, what: string): Record<string, string | Unresolved> {
  return Object.fromEntries(
    Object.entries(parameters).map(([key, value]): [string, string | Unresolved] => {
      const name = key.replace(/\.\$$/, '');
      const path = key.endsWith('.$') ? String(value) : jsonata(value);
      if (path === undefined) return [name, typeof value === 'string' ? value : JSON.stringify(value)];
      if (datePaths.includes(path)) return [name, '{{date}}'];
      const reason = `${what} ${name} is ${path} at run time, which a run's input does not hold (it has only the date): write its value, using {{date}} for the date`;
      return [name, new Unresolved(reason, `{{TODO: ${path}}}`)];
    }),
  );
}
