import { pollingLoopAt } from './pollingLoops';
import { InvalidStateMachineError, type Catcher, type State, type StateMachine } from './stateMachine';

export interface VisitedState {
  name: string;
  state: State;
  line: number;
  /** Part of a loop that waits for this state's work, which its step waits for itself. */
  pollsFor?: string;
}

/** A Catch of a state on the main path, and where it goes. */
export interface CaughtFailure {
  by: VisitedState;
  catcher: Catcher;
  /** The handler lies on the main path: the state machine carries on after the failure instead of ending. */
  resumesMainPath: boolean;
}

export interface StateMachineWalk {
  /**
   * From StartAt along Next, in the order they run: a Choice along its Default, a polling loop out the way its
   * work succeeded.
   */
  main: VisitedState[];
  /**
   * The states reached through Catch, or out of a polling loop the way its work failed, each once, in the order
   * first reached.
   */
  failure: VisitedState[];
  catches: CaughtFailure[];
}

/** The states in the order a run takes them: the main path, then what runs on a failure. */
export function walkStateMachine(machine: StateMachine): StateMachineWalk {
  const { path: main, failureExits } = followNext(machine, machine.startAt);
  const onMainPath = new Set(main.map((visited) => visited.name));
  const catches = main.flatMap((by) => (by.state.Catch ?? []).map((catcher) => ({ by, catcher, resumesMainPath: onMainPath.has(catcher.Next) })));
  const failure = new Map<string, VisitedState>();
  const failureEntries = [...catches.filter((caught) => !caught.resumesMainPath).map((caught) => caught.catcher.Next), ...failureExits];
  for (const entry of failureEntries) {
    for (const visited of followNext(machine, entry).path) {
      if (onMainPath.has(visited.name)) break;
      failure.set(visited.name, visited);
    }
  }
  return { main, failure: [...failure.values()], catches };
}

/** The states along Next from `from`, and where the polling loops among them go when their work fails. */
function followNext(machine: StateMachine, from: string): { path: VisitedState[]; failureExits: string[] } {
  const path: VisitedState[] = [];
  const failureExits: string[] = [];
  let name: string | undefined = from;
  while (name !== undefined) {
    const current: string = name;
    if (path.some((visited) => visited.name === current)) {
      const cycle = [...path.slice(path.findIndex((visited) => visited.name === current)).map((visited) => visited.name), current].join(' -> ');
      throw new InvalidStateMachineError(
        machine.file,
        machine.lineOf(current),
        `the states go round in a cycle (${cycle}); a pipeline runs its steps once each, in order: make the loop a step's retries instead`,
      );
    }
    const state: State = machine.states.get(current)!;
    path.push({ name: current, state, line: machine.lineOf(current) });
    const loop = state.Type === 'Choice' ? pollingLoopAt(machine, path) : undefined;
    if (loop) {
      // The loop's states, then on from where it leads once the work has succeeded.
      path.splice(loop.from, path.length, ...loop.states);
      failureExits.push(...loop.failureExits);
      name = loop.continueAt;
      continue;
    }
    name = state.Type === 'Choice' ? state.Default : state.End ? undefined : state.Next;
  }
  return { path, failureExits };
}
