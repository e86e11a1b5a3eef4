import { InvalidArgumentError, Option, type Command } from 'commander';
import { defaultTaskQueue } from '../../../shared/ids';
import { tuningSettings, tuningValue, type WorkerTuning } from '../../../worker/tuning';
import { lazyHandler } from '../lazyHandler';

/** OpenTelemetry's usual Prometheus port, on loopback: metrics are exposed beyond the host only when asked. */
const defaultMetricsAddress = '127.0.0.1:9464';

/** One flag per tuning setting, each also read from its environment variable, by the setting's key. */
function tuningOptions(): [keyof WorkerTuning, Option][] {
  return Object.entries(tuningSettings).map(([key, setting]) => [
    key as keyof WorkerTuning,
    new Option(`--${setting.flag} <n>`, setting.description)
      .env(setting.env)
      .default(setting.fallback)
      .argParser((text: string) => {
        try {
          return tuningValue(setting, text, `--${setting.flag}`);
        } catch (err) {
          throw new InvalidArgumentError((err as Error).message);
        }
      }),
  ]);
}

/** The tuning `etl worker` was given: each flag's value (or default), read where Commander put it. */
export function tuningFromOptions(options: Record<string, unknown>): WorkerTuning {
  return Object.fromEntries(tuningOptions().map(([key, option]) => [key, options[option.attributeName()]])) as unknown as WorkerTuning;
}

export function addWorkerCommand(program: Command) {
  const command = program
    .command('worker')
    .description('Run a worker: the local stack by default, or the Temporal cluster set by TEMPORAL_ADDRESS / a profile.')
    .option('--local-stack', 'use the local stack even when TEMPORAL_ADDRESS or a profile is set')
    .addOption(
      new Option('--metrics-address <host:port>', 'serve Prometheus metrics at http://<host:port>/metrics; "off" for none')
        .env('ETL_METRICS_ADDRESS')
        .default(defaultMetricsAddress),
    )
    .addOption(new Option('--task-queue <name>', 'serve the pipelines whose config names this task queue').env('ETL_TASK_QUEUE').default(defaultTaskQueue));
  for (const [, option] of tuningOptions()) command.addOption(option);
  command.action(lazyHandler(() => import('./handler'), 'workerCommand'));
}
