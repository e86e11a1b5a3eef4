import { Option, type Command } from 'commander';
import { backfillSelections } from '../../operations/backfillSelection';
import { lazyHandler } from '../lazyHandler';
import { configDirOption, jsonOption, pipelineOption } from '../options';

export function addBackfillCommand(program: Command) {
  program
    .command('backfill')
    .description('Run a pipeline for every date of a range, a few at a time, in one backfill; views are refreshed once at the end.')
    .addOption(pipelineOption())
    .requiredOption('--from <YYYY-MM-DD>', 'first date of the range')
    .requiredOption('--to <YYYY-MM-DD>', 'last date of the range (included)')
    .option('-c, --concurrency <n>', "dates run at once; never more than the Glue job's MaxConcurrentRuns", '1')
    .addOption(
      new Option('--only <dates>', 'all dates, those whose last run failed (or was cancelled, terminated, timed out), or those that never ran')
        .choices(backfillSelections)
        .default('all'),
    )
    .addOption(new Option('--max-days <n>', 'longest range accepted').env('ETL_MAX_BACKFILL_DAYS').default('366'))
    .option('--dry-run', 'print the dates it would run and why, and their estimated Glue cost; start nothing', false)
    .option('-w, --wait', 'wait for the backfill with a progress display, then summarize it', false)
    .addOption(jsonOption())
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'backfillCommand'));
}
