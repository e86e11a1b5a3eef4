import { InvalidStateMachineError, type Catcher, type State, type StateMachine } from './stateMachine';

export interface VisitedState {
  name: string;
  state: State;
  line: number;
}

/** A Catch of a state on the main path, and where it goes. */
export interface CaughtFailure {
  by: VisitedState;
  catcher: Catcher;
  /** The handler lies on the main path: the state machine carries on after the failure instead of ending. */
  resumesMainPath: boolean;
}

export interface StateMachineWalk {
  /** From StartAt along Next (a Choice along its Default), in the order they run. */
  main: VisitedState[];
  /** The states reached through Catch, each once, in the order first reached. */
  failure: VisitedState[];
  catches: CaughtFailure[];
}

/** The states in the order a run takes them: the main path, then what runs on a failure. */
export function walkStateMachine(machine: StateMachine): StateMachineWalk {
  const main = followNext(machine, machine.startAt);
  const onMainPath = new Set(main.map((visited) => visited.name));
  const catches = main.flatMap((by) => (by.state.Catch ?? []).map((catcher) => ({ by, catcher, resumesMainPath: onMainPath.has(catcher.Next) })));
  const failure = new Map<string, VisitedState>();
  for (const { catcher, resumesMainPath } of catches) {
    if (resumesMainPath) continue;
    for (const visited of followNext(machine, catcher.Next)) {
      if (onMainPath.has(visited.name)) break;
      failure.set(visited.name, visited);
    }
  }
  return { main, failure: [...failure.values()], catches };
}

function followNext(machine: StateMachine, from: string): VisitedState[] {
  const path: VisitedState[] = [];
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
    name = state.Type === 'Choice' ? state.Default : state.End ? undefined : state.Next;
  }
  return path;
}
