import type { Command } from 'commander';
import { lazyHandler } from '../lazyHandler';
import { configDirOption, jsonOption, pipelineOption } from '../options';

export function addSqlCommand(program: Command) {
  program
    .command('sql')
    .description("Run one SQL statement against the pipeline's Redshift (through the Data API, as the worker does) and print its rows.")
    .argument('<sql...>', 'the statement; quote it in the shell')
    .addOption(pipelineOption())
    .addOption(jsonOption())
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'sqlCommand'));
}
