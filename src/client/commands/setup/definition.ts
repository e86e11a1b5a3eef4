import type { Command } from 'commander';
import { lazyHandler } from '../lazyHandler';

export function addSetupCommand(program: Command) {
  program
    .command('setup')
    .description('Prepare the configured Temporal namespace: register the search attributes the pipelines use (safe to repeat).')
    .action(lazyHandler(() => import('./handler'), 'setupCommand'));
}
