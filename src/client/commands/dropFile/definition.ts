import type { Command } from 'commander';
import { lazyHandler } from '../lazyHandler';
import { configDirOption, pipelineOption } from '../options';

export function addDropFileCommand(program: Command) {
  program
    .command('drop-file')
    .description(
      "Take a rejected file out of a date's input for good (it moves, with its report, from errors/ to the archive, " +
        'with a record of who dropped it and why), so the date can succeed without it on its next run.',
    )
    .addOption(pipelineOption())
    .requiredOption('-d, --date <YYYY-MM-DD>', 'the date the file was rejected for')
    .requiredOption('-f, --file <name>', 'the file name, as under errors/<date>/')
    .option('--reason <text>', 'why, kept in the drop record')
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'dropFileCommand'));
}
