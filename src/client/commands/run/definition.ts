import type { Command } from 'commander';
import { lazyHandler } from '../lazyHandler';
import { configDirOption, jsonOption, pipelineOption, waitOption } from '../options';

export function addRunCommand(program: Command) {
  program
    .command('run')
    .description("Start a pipeline's run for one date, or attach to the run already open for that date.")
    .addOption(pipelineOption())
    .requiredOption('-d, --date <YYYY-MM-DD>', 'the date whose files the run processes')
    .addOption(waitOption())
    .addOption(jsonOption())
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'runCommand'));
}
