import { resourceOf } from './resources';
import type { State, StateMachine } from './stateMachine';
import type { VisitedState } from './walk';

// A state machine that starts work without waiting for it (glue:startJobRun without .sync, a crawler, a Redshift
// statement) often waits for it in a loop: Wait, a Task that reads the status, a Choice that goes round again
// while it runs. The step that starts the work waits for it itself, so the loop has no step of its own.

/** A polling loop closed by a Choice, and where the run goes once the work has ended. */
export interface PollingLoop {
  /** Where on the path the loop begins: the state after the one that started the work. */
  from: number;
  /** The loop's states, the Choice last, each marked with the state whose work it waits for. */
  states: VisitedState[];
  /** Where the run carries on when the work succeeded. */
  continueAt: string;
  /** Where it goes when the work failed (each ends in a Fail state): the failure path. */
  failureExits: string[];
}

/** States a polling loop may hold besides its one Choice. */
const loopTypes = ['Wait', 'Task', 'Pass'];

/** How far an exit of the Choice is followed along Next to see where it leads. */
const lookAhead = 10;

/**
 * The polling loop that the Choice at the end of `path` closes, or undefined when it closes none, or one
 * this cannot read: a loop that does not wait for the Task just before it, or that can carry on two ways.
 */
export function pollingLoopAt(machine: StateMachine, path: VisitedState[]): PollingLoop | undefined {
  const choice = path[path.length - 1];
  const onPath = (name: string) => path.findIndex((visited) => visited.name === name);
  const exits = [...new Set([...(choice.state.Choices ?? []).map((rule) => rule.Next), choice.state.Default])].filter(
    (exit): exit is string => typeof exit === 'string',
  );
  const followed = exits.map((exit) => ({ exit, ...followExit(machine, exit, onPath) }));
  const roundAgain = followed.filter((exit) => exit.reentry !== undefined);
  if (roundAgain.length === 0) return undefined;

  const reentry = Math.min(...roundAgain.map((exit) => exit.reentry!));
  const starter = path[reentry - 1];
  const loop = [...path.slice(reentry, -1), ...roundAgain.flatMap((exit) => exit.chain)];
  if (!starter || !startsWork(starter.state) || !loop.every((visited) => loopTypes.includes(visited.state.Type))) return undefined;

  const leaving = followed.filter((exit) => exit.reentry === undefined);
  const failureExits = leaving.filter((exit) => exit.endsInFail).map((exit) => exit.exit);
  const carryOn = leaving.filter((exit) => !exit.endsInFail);
  if (carryOn.length !== 1) return undefined;
  const marked = [...loop, choice].map((visited) => ({ ...visited, pollsFor: starter.name }));
  return { from: reentry, states: marked, continueAt: carryOn[0].exit, failureExits };
}

/** The states along Next from an exit, until one already on the path (the loop closes) or the end. */
function followExit(machine: StateMachine, exit: string, onPath: (name: string) => number): { reentry?: number; chain: VisitedState[]; endsInFail: boolean } {
  const chain: VisitedState[] = [];
  let name: string | undefined = exit;
  while (name !== undefined && chain.length < lookAhead) {
    const at = onPath(name);
    if (at >= 0) return { reentry: at, chain, endsInFail: false };
    const state: State = machine.states.get(name)!;
    if (state.Type === 'Fail') return { chain, endsInFail: true };
    chain.push({ name, state, line: machine.lineOf(name) });
    name = state.Type === 'Choice' || state.End ? undefined : state.Next;
  }
  return { chain, endsInFail: false };
}

/** A Task that starts work its step then waits for: a Glue job run without .sync, a crawler, a Redshift statement. */
function startsWork(state: State): boolean {
  if (state.Type !== 'Task') return false;
  const resource = resourceOf(state.Resource ?? '');
  return (resource.service === 'glueJob' && !resource.waits) || resource.service === 'crawler' || resource.service === 'sql';
}
