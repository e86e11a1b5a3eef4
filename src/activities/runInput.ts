import { runInputProblem } from '../config/runInput';

/**
 * The check of a run's input against the config schema, run outside the workflow sandbox: there every module a
 * workflow imports is loaded once per run the worker holds, and zod with it (megabytes each).
 */
export function createRunInputActivities() {
  return {
    async checkRunInput(input: unknown): Promise<string | undefined> {
      return runInputProblem(input);
    },
  };
}
