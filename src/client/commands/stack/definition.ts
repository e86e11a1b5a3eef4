import type { Command } from 'commander';
import { lazyHandler } from '../lazyHandler';

export function addStackCommands(program: Command) {
  const stack = program.command('stack').description('The embedded local stack: Temporal dev server + UI, moto, Glue/Redshift emulator, a worker.');
  stack
    .command('up')
    .description('Start the local stack (left running until `etl stack down`).')
    .action(lazyHandler(() => import('./handler'), 'stackUpCommand'));
  stack
    .command('down')
    .description('Stop the local stack; run history is kept for next time.')
    .action(lazyHandler(() => import('./handler'), 'stackDownCommand'));
  stack
    .command('status')
    .description('Say whether the local stack is running and where.')
    .action(lazyHandler(() => import('./handler'), 'stackStatusCommand'));
}
