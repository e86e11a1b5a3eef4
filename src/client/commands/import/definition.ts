import type { Command } from 'commander';
import { lazyHandler } from '../lazyHandler';
import { configDirOption } from '../options';

export function addImportCommands(program: Command) {
  const importCommand = program.command('import').description("Write a pipeline file from another orchestrator's definition.");
  importCommand
    .command('step-functions')
    .description(
      'Write a pipeline YAML from an Amazon States Language definition: its Glue, crawler, Redshift Data, SNS and Lambda tasks become steps, ' +
        'Retry their options, Catch the failure alert. What cannot be mapped is listed with its line and left in the file as a TODO(import) ' +
        'the loader refuses (exit code 3).',
    )
    .argument('<state-machine.json>', 'the definition, as `aws stepfunctions describe-state-machine --query definition --output text` prints it')
    .option('--name <pipeline>', "the pipeline's name (default: the mapping's name, else the definition file's)")
    .option('--mapping <mapping.yaml>', 'what the state machine cannot say: what each Lambda does, the contract, the load target, views, s3, redshift')
    .option('-o, --output <file>', 'where to write it; "-" for standard output (default: <config dir>/<name>.yaml, which must not exist yet)')
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'importStepFunctionsCommand'));
}
