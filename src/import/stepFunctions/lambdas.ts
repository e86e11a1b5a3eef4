import { Unresolved, todoStep, type Draft, type MappedState } from './draft';
import { taskKinds, type ImportMapping, type TaskKind } from './mapping';
import { stepOptions } from './retry';
import type { VisitedState } from './walk';

/** What a Lambda's name says it does: validate…, refresh…, …load… (load-redshift, redshift-load). */
function kindFromFunctionName(functionName: string): TaskKind | undefined {
  const name = functionName.toLowerCase();
  if (name.includes('validat')) return 'validate';
  if (name.includes('refresh')) return 'refresh';
  if (name.includes('load')) return 'load';
  return undefined;
}

/** The keys a step of each kind needs that a Lambda's name cannot give, and what each holds. */
const neededKeys: Record<TaskKind, Record<string, string>> = {
  validate: { contract: 'the file contract (format, columns) the Lambda checks' },
  glue: { jobName: 'the Glue job the Lambda starts' },
  crawler: { name: 'the Glue crawler the Lambda starts' },
  partitions: {},
  load: { table: 'the table the Lambda loads', dateColumn: "the table's date column", copy: 'the COPY source, format and IAM role' },
  sql: { statements: 'the statements the Lambda runs' },
  refresh: { views: 'the materialized views the Lambda refreshes' },
};

/** A Lambda task as the step its name or the mapping says it is, with the mapping's config for it. */
export function lambdaStep(from: VisitedState, functionName: string | undefined, mapping: ImportMapping): MappedState {
  if (functionName === undefined) {
    return todoStep(from, 'calls a Lambda function named at run time (FunctionName.$): name the step this state stands for');
  }
  const mapped = mapping.lambdas?.[functionName] ?? {};
  const { kind: mappedKind, ...given } = mapped;
  const kind = mappedKind ?? kindFromFunctionName(functionName);
  if (!kind) {
    return todoStep(
      from,
      `calls Lambda function "${functionName}", whose name says nothing known: give its kind (${taskKinds.join(', ')}) and config as lambdas.${functionName} in a mapping file (--mapping)`,
    );
  }
  const config: Draft = {};
  for (const [key, what] of Object.entries(neededKeys[kind])) {
    config[key] = key in given ? given[key] : new Unresolved(`${what}: give it as lambdas.${functionName}.${key} in a mapping file (--mapping)`);
  }
  Object.assign(config, given);
  const { options, notes } = stepOptions(from.state);
  const source = mappedKind ? 'the mapping file' : 'its name';
  return { step: { from, kind, config, options, notes: [`Lambda function "${functionName}", a ${kind} step by ${source}`, ...notes] } };
}
