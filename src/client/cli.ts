// The project supports Node 20 (see package.json engines); the SDK's notice about future versions is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { Command, CommanderError, Option } from 'commander';
import { runCommand } from './commands/run';
import { stackDownCommand, stackStatusCommand, stackUpCommand } from './commands/stack';
import { workerCommand } from './commands/worker';
import { demoCommand } from './commands/demo';
import { exitCodes, failureMessage, UsageError } from './errors';

const program = new Command('etl')
  .description('Daily S3 -> Glue -> Redshift pipelines on Temporal: run, inspect and operate them.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

const pipelineOption = () => new Option('-p, --pipeline <name>', 'pipeline name (a file in the config folder)').makeOptionMandatory();
const configDirOption = () =>
  new Option('--config-dir <dir>', 'folder of pipeline YAML files').env('ETL_CONFIG_DIR').default(undefined, 'config/pipelines');

program
  .command('run')
  .description("Start a pipeline's run for one date, or attach to the run already open for that date.")
  .addOption(pipelineOption())
  .requiredOption('-d, --date <YYYY-MM-DD>', 'the date whose files the run processes')
  .option('-w, --wait', 'wait for the run, printing each step as it finishes', false)
  .option('--json', 'print one JSON document instead of text', false)
  .addOption(configDirOption())
  .action(runCommand);

const stack = program.command('stack').description('The embedded local stack: Temporal dev server + UI, moto, Glue/Redshift emulator, a worker.');
stack.command('up').description('Start the local stack (left running until `etl stack down`).').action(stackUpCommand);
stack.command('down').description('Stop the local stack; run history is kept for next time.').action(stackDownCommand);
stack.command('status').description('Say whether the local stack is running and where.').action(stackStatusCommand);

program
  .command('worker')
  .description('Run a worker: the local stack by default, or the Temporal cluster set by TEMPORAL_ADDRESS / a profile.')
  .option('--local-stack', 'use the local stack even when TEMPORAL_ADDRESS or a profile is set')
  .action(workerCommand);

program
  .command('demo')
  .description('Start the local stack if needed, land the sample files and run the sample pipeline for a sample date.')
  .option('-p, --pipeline <name>', 'sample pipeline', 'orders')
  .option('-d, --date <YYYY-MM-DD>', 'sample date (a folder under sample-data/<pipeline>/)', '2024-01-15')
  .action(demoCommand);

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    return process.exitCode === undefined ? exitCodes.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are successes; any other parse problem is bad input.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help'
        ? exitCodes.ok
        : exitCodes.badInput;
    }
    console.error(`etl: ${failureMessage(err)}`);
    return err instanceof UsageError ? exitCodes.badInput : exitCodes.failed;
  }
}

main().then((code) => process.exit(code));
