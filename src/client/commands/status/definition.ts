import type { Command } from 'commander';
import { lazyHandler } from '../lazyHandler';
import { configDirOption, pipelineOption } from '../options';

export function addStatusCommand(program: Command) {
  program
    .command('status')
    .description("Each date's latest run of a pipeline: outcome (and the step it failed at), trigger, start, duration, estimated Glue cost, Temporal UI link.")
    .addOption(pipelineOption())
    .option('--from <YYYY-MM-DD>', 'first date (default: 13 days before --to)')
    .option('--to <YYYY-MM-DD>', 'last date (default: yesterday, UTC; with only --from, 13 days after it but not past today)')
    .option('--json', 'print the dates as JSON instead of a table', false)
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'statusCommand'));
}
