import type { Command } from 'commander';
import { lazyHandler } from '../lazyHandler';
import { configDirOption, jsonOption, pipelineOption, waitOption } from '../options';

export function addRerunCommand(program: Command) {
  program
    .command('rerun')
    .description(
      'Run a date again. With --from-step, the steps before it are not run again: their results come from the date’s ' +
        'latest run, which must have confirmed them (otherwise it says why and starts nothing).',
    )
    .addOption(pipelineOption())
    .requiredOption('-d, --date <YYYY-MM-DD>', 'the date to run again')
    .option('--from-step <step>', "id of the first step to run again: a kind's name (validate, glue, load, ...) or a step's own id; the first step: the whole run")
    .addOption(waitOption())
    .addOption(jsonOption())
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'rerunCommand'));
}
