import type { Command } from 'commander';
import { lazyHandler } from '../lazyHandler';

export function addDemoCommand(program: Command) {
  program
    .command('demo')
    .description('Start the local stack if needed, land the sample files and run the sample pipeline for a sample date.')
    .option('-p, --pipeline <name>', 'sample pipeline', 'orders')
    .option('-d, --date <YYYY-MM-DD>', 'sample date (a folder under sample-data/<pipeline>/)', '2024-01-15')
    .action(lazyHandler(() => import('./handler'), 'demoCommand'));
}
