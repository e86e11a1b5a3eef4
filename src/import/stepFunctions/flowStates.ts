import { todoStep, type MappedState } from './draft';
import type { VisitedState } from './walk';

// A Pass state with none of these fields passes its input on unchanged: leaving it out changes nothing.
const passEffects = ['Result', 'Parameters', 'ResultPath', 'InputPath', 'OutputPath', 'ResultSelector', 'Assign', 'Output'];

/** A state that is not a Task: what steps cannot do is a TODO; what changes nothing is dropped. */
export function mapFlowState(from: VisitedState): MappedState {
  const { state } = from;
  switch (state.Type) {
    case 'Succeed':
    case 'Fail':
      return { dropped: `${from.name} (${state.Type}): a run ends with its last step` };
    case 'Pass': {
      const effects = passEffects.filter((field) => field in state);
      if (effects.length === 0) return { dropped: `${from.name} (a Pass that changes nothing)` };
      return todoStep(
        from,
        `a Pass that sets ${effects.join(', ')}: steps pass nothing to each other but the date; drop it, or make what it sets part of a step's config`,
      );
    }
    case 'Wait':
      return todoStep(from, 'a Wait: each step waits for its own work to finish; drop it, or say what the pause waits for');
    case 'Choice': {
      const branches = [...new Set((state.Choices ?? []).map((choice) => choice.Next))].join(', ');
      const followed = state.Default ? `the import followed its Default (${state.Default})` : 'it has no Default, so the import stops here';
      return todoStep(from, `a Choice (its rules go to ${branches}; ${followed}): a pipeline runs every step of its list; keep the branch it runs`);
    }
    case 'Parallel': {
      const branches = Array.isArray(state.Branches) ? state.Branches.length : 0;
      return todoStep(from, `a Parallel of ${branches} branch(es): steps run one after another; list the branches' steps in order`);
    }
    case 'Map':
      return todoStep(from, 'a Map over the items of its input: steps run once per date; make it one step that handles every item');
    default:
      return todoStep(from, `a state of Type "${state.Type}", which the importer does not know`);
  }
}
