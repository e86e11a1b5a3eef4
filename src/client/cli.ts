// The project supports Node 20 (see package.json engines); the SDK's notice about future versions is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { Command, CommanderError, Option } from 'commander';
import { payloadCodecFromEnv } from '../codec/dataConverter';
import { exitCodes, failureMessage, parseInput, UsageError } from './errors';
import { defaultTaskQueue } from '../shared/ids';
import { lazyHandler } from './commands/lazyHandler';
import { configDirOption, jsonOption, pipelineOption, waitOption } from './commands/options';
import { addRunCommand } from './commands/run/definition';
import { addRerunCommand } from './commands/rerun/definition';
import { addStatusCommand } from './commands/status/definition';
import { addBackfillCommand } from './commands/backfill/definition';
import { addDropFileCommand } from './commands/dropFile/definition';
import { addSqlCommand } from './commands/sql/definition';
import { addScheduleCommands } from './commands/schedule/definition';

/** OpenTelemetry's usual Prometheus port, on loopback: metrics are exposed beyond the host only when asked. */
const defaultMetricsAddress = '127.0.0.1:9464';

const program = new Command('etl')
  .description('Daily S3 -> Glue -> Redshift pipelines on Temporal: run, inspect and operate them.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  // A malformed payload key is bad input for every command, reported before anything starts.
  .hook('preAction', () => void parseInput(() => payloadCodecFromEnv()));

addRunCommand(program);
addRerunCommand(program);
addStatusCommand(program);
addBackfillCommand(program);
addDropFileCommand(program);
addSqlCommand(program);

const stack = program.command('stack').description('The embedded local stack: Temporal dev server + UI, moto, Glue/Redshift emulator, a worker.');
stack
  .command('up')
  .description('Start the local stack (left running until `etl stack down`).')
  .action(lazyHandler(() => import('./commands/stack'), 'stackUpCommand'));
stack
  .command('down')
  .description('Stop the local stack; run history is kept for next time.')
  .action(lazyHandler(() => import('./commands/stack'), 'stackDownCommand'));
stack
  .command('status')
  .description('Say whether the local stack is running and where.')
  .action(lazyHandler(() => import('./commands/stack'), 'stackStatusCommand'));

addScheduleCommands(program);

program
  .command('worker')
  .description('Run a worker: the local stack by default, or the Temporal cluster set by TEMPORAL_ADDRESS / a profile.')
  .option('--local-stack', 'use the local stack even when TEMPORAL_ADDRESS or a profile is set')
  .addOption(
    new Option('--metrics-address <host:port>', 'serve Prometheus metrics at http://<host:port>/metrics; "off" for none')
      .env('ETL_METRICS_ADDRESS')
      .default(defaultMetricsAddress),
  )
  .addOption(
    new Option('--task-queue <name>', 'serve the pipelines whose config names this task queue').env('ETL_TASK_QUEUE').default(defaultTaskQueue),
  )
  .action(lazyHandler(() => import('./commands/worker'), 'workerCommand'));

program
  .command('demo')
  .description('Start the local stack if needed, land the sample files and run the sample pipeline for a sample date.')
  .option('-p, --pipeline <name>', 'sample pipeline', 'orders')
  .option('-d, --date <YYYY-MM-DD>', 'sample date (a folder under sample-data/<pipeline>/)', '2024-01-15')
  .action(lazyHandler(() => import('./commands/demo'), 'demoCommand'));

program
  .command('setup')
  .description('Prepare the configured Temporal namespace: register the search attributes the pipelines use (safe to repeat).')
  .action(lazyHandler(() => import('./commands/setup'), 'setupCommand'));

program
  .command('codec-server')
  .description('Serve the ETL_PAYLOAD_KEY payload codec so the Temporal UI can show decrypted payloads.')
  .option('--port <port>', 'port to listen on', '8888')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--cors-origin <origins>', 'origins of the Temporal UI allowed to call it, comma-separated', 'http://127.0.0.1:8233,http://localhost:8233')
  .action(lazyHandler(() => import('./commands/codecServer'), 'codecServerCommand'));

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
