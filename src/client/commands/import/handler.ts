import * as fs from 'node:fs';
import * as path from 'node:path';
import { displayPath } from '../../../config/configError';
import { pipelineNameSchema } from '../../../config/fields';
import { defaultConfigDir } from '../../../config/load';
import { importStateMachine } from '../../../import/stepFunctions/importStateMachine';
import { unknownMappedNames } from '../../../import/stepFunctions/stateMappings';
import { loadMapping } from '../../../import/stepFunctions/mapping';
import { renderPipeline } from '../../../import/stepFunctions/render';
import { InvalidStateMachineError, parseStateMachine, type StateMachine } from '../../../import/stepFunctions/stateMachine';
import type { ImportMapping } from '../../../import/stepFunctions/mapping';
import { exitCodes, parseInput, UsageError } from '../../errors';
import { todoLines, writtenLine } from './output';

interface ImportOptions {
  name?: string;
  mapping?: string;
  output?: string;
  configDir?: string;
}

/** `etl import step-functions`: a pipeline file from an ASL definition; exit 0, or 3 when TODOs are left. */
export async function importStepFunctionsCommand(file: string, options: ImportOptions) {
  if (options.name !== undefined && !pipelineNameSchema.safeParse(options.name).success) {
    throw new UsageError(`--name is "${options.name}": a pipeline name is lower-case letters, digits, "-" or "_", starting with a letter`);
  }
  const machine = stateMachineIn(file);
  const mapping = options.mapping ? parseInput(() => loadMapping(options.mapping!)) : {};
  if (options.mapping) refuseUnknownNames(machine, mapping, options.mapping);
  const draft = asUsageError(() => importStateMachine(machine, mapping, options.name));
  const pipeline = renderPipeline(draft);
  const written = await write(pipeline.text, options.output ?? path.join(options.configDir ?? defaultConfigDir, `${draft.name}.yaml`), !options.output);
  const summary = writtenLine(written, draft.steps, machine.states.size);
  // With the YAML on standard output, everything else goes to standard error.
  if (options.output === '-') console.error(summary);
  else console.log(summary);
  if (pipeline.todos.length === 0) {
    process.exitCode = exitCodes.ok;
    return;
  }
  for (const line of todoLines(machine.file, written, pipeline)) console.error(line);
  process.exitCode = exitCodes.todosLeft;
}

function stateMachineIn(file: string) {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}): give the path of the state machine's JSON definition`);
  }
  return asUsageError(() => parseStateMachine(file, text));
}

/** A definition that is no state machine a pipeline can stand for (found reading it, or walking its states) is bad input. */
function asUsageError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidStateMachineError) throw new UsageError(error.message);
    throw error;
  }
}

/** A state or function the mapping names that the state machine does not have is most likely a typo. */
function refuseUnknownNames(machine: StateMachine, mapping: ImportMapping, file: string) {
  const unknown = unknownMappedNames(machine, mapping);
  const [state] = unknown.states;
  if (state) throw new UsageError(`${file}: states.${state}: the state machine has no state "${state}" (its states: ${unknown.known.states.join(', ')})`);
  const [lambda] = unknown.lambdas;
  if (lambda) {
    const known = unknown.known.lambdas.join(', ') || 'none';
    throw new UsageError(`${file}: lambdas.${lambda}: no state calls a Lambda function "${lambda}" (the functions it calls: ${known})`);
  }
}

/** Writes the file (or standard output, for "-"); a default location is never overwritten. Returns where it went, as shown. */
async function write(text: string, output: string, isDefault: boolean): Promise<string> {
  if (output === '-') {
    process.stdout.write(text);
    return 'the pipeline to standard output';
  }
  try {
    await fs.promises.writeFile(output, text, { flag: isDefault ? 'wx' : 'w' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new UsageError(`${displayPath(output)} already exists: give --output to write elsewhere or over it, or --name for another pipeline name`);
    throw new UsageError(`cannot write ${displayPath(output)} (${code ?? String(error)}): give --output a file in a folder that exists`);
  }
  return displayPath(output);
}
