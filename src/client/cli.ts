// The project supports Node 20 (see package.json engines); the SDK's notice about future versions is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { Command, CommanderError } from 'commander';
import { payloadCodecFromEnv } from '../codec/dataConverter';
import { addBackfillCommand } from './commands/backfill/definition';
import { addCodecServerCommand } from './commands/codecServer/definition';
import { addDemoCommand } from './commands/demo/definition';
import { addDropFileCommand } from './commands/dropFile/definition';
import { addImportCommands } from './commands/import/definition';
import { addRerunCommand } from './commands/rerun/definition';
import { addRunCommand } from './commands/run/definition';
import { addScheduleCommands } from './commands/schedule/definition';
import { addSetupCommand } from './commands/setup/definition';
import { addSqlCommand } from './commands/sql/definition';
import { addStackCommands } from './commands/stack/definition';
import { addStatusCommand } from './commands/status/definition';
import { addWorkerCommand } from './commands/worker/definition';
import { exitCodes, failureMessage, parseInput, UsageError } from './errors';

const program = new Command('etl')
  .description('S3 -> Glue -> Redshift pipelines on Temporal, one run per pipeline and date: run, inspect and operate them.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  // A malformed payload key is bad input for every command, reported before anything starts.
  .hook('preAction', () => void parseInput(() => payloadCodecFromEnv()));

// In the order `etl --help` lists them; a command's handler is loaded only when it runs.
addRunCommand(program);
addRerunCommand(program);
addStatusCommand(program);
addBackfillCommand(program);
addDropFileCommand(program);
addSqlCommand(program);
addImportCommands(program);
addStackCommands(program);
addScheduleCommands(program);
addWorkerCommand(program);
addDemoCommand(program);
addSetupCommand(program);
addCodecServerCommand(program);

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    return process.exitCode === undefined ? exitCodes.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are successes; any other parse problem is bad input.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? exitCodes.ok : exitCodes.badInput;
    }
    console.error(`etl: ${failureMessage(err)}`);
    return err instanceof UsageError ? exitCodes.badInput : exitCodes.failed;
  }
}

void main().then((code) => process.exit(code));
