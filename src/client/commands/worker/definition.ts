import { Option, type Command } from 'commander';
import { defaultTaskQueue } from '../../../shared/ids';
import { lazyHandler } from '../lazyHandler';

/** OpenTelemetry's usual Prometheus port, on loopback: metrics are exposed beyond the host only when asked. */
const defaultMetricsAddress = '127.0.0.1:9464';

export function addWorkerCommand(program: Command) {
  program
    .command('worker')
    .description('Run a worker: the local stack by default, or the Temporal cluster set by TEMPORAL_ADDRESS / a profile.')
    .option('--local-stack', 'use the local stack even when TEMPORAL_ADDRESS or a profile is set')
    .addOption(
      new Option('--metrics-address <host:port>', 'serve Prometheus metrics at http://<host:port>/metrics; "off" for none')
        .env('ETL_METRICS_ADDRESS')
        .default(defaultMetricsAddress),
    )
    .addOption(new Option('--task-queue <name>', 'serve the pipelines whose config names this task queue').env('ETL_TASK_QUEUE').default(defaultTaskQueue))
    .action(lazyHandler(() => import('./handler'), 'workerCommand'));
}
