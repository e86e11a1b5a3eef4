import { Unresolved } from './draft';
import type { State } from './stateMachine';

/** The input field a run's date arrives in; a parameter taken from it becomes "{{date}}". */
export const datePath = '$.execution_date';

/** A parameter as written ("Name") or taken from the run's input or context ("Name.$"). */
export type Parameter = { value: unknown } | { path: string };

export function parameter(state: State, name: string): Parameter | undefined {
  const parameters = state.Parameters ?? {};
  if (`${name}.$` in parameters) return { path: String(parameters[`${name}.$`]) };
  if (name in parameters) return { value: parameters[name] };
  return undefined;
}

/** A text parameter the step needs; missing or computed at run time, it is Unresolved saying so. */
export function textParameter(state: State, name: string, what: string): string | Unresolved {
  const found = parameter(state, name);
  if (found && 'value' in found && typeof found.value === 'string') return found.value;
  if (found && 'path' in found) return new Unresolved(`${what}: the state takes its ${name} from ${found.path} at run time; write the ${what} itself`);
  return new Unresolved(`${what}: the state gives no ${name}`);
}

/**
 * Parameters as the step writes them: "Name.$": "$.execution_date" becomes "Name": "{{date}}"; any other path
 * is Unresolved, written as an unknown placeholder so the loader refuses it.
 */
export function templatedParameters(parameters: Record<string, unknown>, what: string): Record<string, string | Unresolved> {
  return Object.fromEntries(
    Object.entries(parameters).map(([key, value]): [string, string | Unresolved] => {
      if (!key.endsWith('.$')) return [key, typeof value === 'string' ? value : JSON.stringify(value)];
      const name = key.slice(0, -'.$'.length);
      if (value === datePath) return [name, '{{date}}'];
      const reason = `${what} ${name} is ${String(value)} at run time, which a run's input does not hold (it has only the date): write its value, using {{date}} for the date`;
      return [name, new Unresolved(reason, `{{TODO: ${String(value)}}}`)];
    }),
  );
}
