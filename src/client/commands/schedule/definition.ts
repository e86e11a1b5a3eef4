import type { Command } from 'commander';
import { lazyHandler } from '../lazyHandler';
import { configDirOption, jsonOption, pipelineOption } from '../options';

export function addScheduleCommands(program: Command) {
  const schedule = program
    .command('schedule')
    .description("Each pipeline's Temporal Schedule (etl-<pipeline>-schedule), made from the schedule block of its config.");
  schedule
    .command('apply')
    .description(
      'Create or update the schedules from the config; a schedule that already matches is left untouched, one under its former id (etl-<pipeline>-daily) is moved, paused or active as it was.',
    )
    .option('-p, --pipeline <name>', 'only this pipeline (default: every pipeline with a schedule block)')
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'scheduleApplyCommand'));
  schedule
    .command('list')
    .description("The pipelines' schedules: state, next run, last run.")
    .addOption(jsonOption())
    .action(lazyHandler(() => import('./handler'), 'scheduleListCommand'));
  schedule
    .command('describe')
    .description("A pipeline's schedule: cron, time zone, policies, next runs with the date each processes, recent runs.")
    .addOption(pipelineOption())
    .addOption(jsonOption())
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'scheduleDescribeCommand'));
  schedule
    .command('pause')
    .description('Pause the schedule: no runs start until it is unpaused (missed runs are not caught up).')
    .addOption(pipelineOption())
    .option('--note <text>', 'why, shown by describe and in the Temporal UI')
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'schedulePauseCommand'));
  schedule
    .command('unpause')
    .description('Resume the schedule from its next scheduled time.')
    .addOption(pipelineOption())
    .option('--note <text>', 'shown by describe and in the Temporal UI')
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'scheduleUnpauseCommand'));
  schedule
    .command('trigger')
    .description('Start a scheduled run now; it processes the date for this moment (with the configured offset) and follows the overlap policy.')
    .addOption(pipelineOption())
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'scheduleTriggerCommand'));
  schedule
    .command('delete')
    .description('Delete the schedule; runs it started are not affected.')
    .addOption(pipelineOption())
    .addOption(configDirOption())
    .action(lazyHandler(() => import('./handler'), 'scheduleDeleteCommand'));
}
