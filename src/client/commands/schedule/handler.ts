import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { loadAllPipelines, loadPipeline } from '../../../config/load';
import type { PipelineConfig } from '../../../config/schema';
import { scheduledDate } from '../../../shared/scheduledDate';
import { scheduleUiUrl, schedulesUiUrl } from '../../../shared/temporalUi';
import { failureMessage, parseInput, UsageError } from '../../errors';
import { withClient } from '../../operations/connect';
import { applyLine, describeLines, listLines } from './output';
import {
  applySchedule,
  deleteSchedule,
  describeIfExists,
  describeSchedule,
  existingScheduleHandle,
  hasSchedule,
  InvalidScheduleError,
  listSchedules,
  pauseSchedule,
  triggerSchedule,
  unpauseSchedule,
  type ScheduledPipelineConfig,
} from '../../operations/schedules';
import { resolveTarget, type Target } from '../../../target/target';

interface PipelineOptions {
  pipeline: string;
  configDir?: string;
}

/**
 * Applies each pipeline's schedule and says what happened, one line per pipeline. Pipelines without a
 * `schedule` block are skipped; if an earlier apply left them a schedule, the line says how to delete it.
 */
export async function applySchedules(client: Client, target: Target, pipelines: PipelineConfig[]): Promise<string[]> {
  const lines: string[] = [];
  for (const pipeline of pipelines) {
    if (!hasSchedule(pipeline)) {
      const leftOver = await describeIfExists(await existingScheduleHandle(client, pipeline.name));
      lines.push(
        `${pipeline.name}: no schedule block in its config, skipped` +
          (leftOver ? `; schedule ${leftOver.scheduleId} is still there (\`etl schedule delete --pipeline ${pipeline.name}\` removes it)` : ''),
      );
      continue;
    }
    const applied = await applySchedule(client, pipeline, target.scheduleOverrides);
    lines.push(applyLine(pipeline.name, applied, await describeSchedule(client, pipeline.name)));
  }
  return lines;
}

/** For `etl stack up` and the demo: the pipelines' schedules on the local stack, so its UI shows them. */
export async function applyLocalStackSchedules(pipelines: PipelineConfig[]): Promise<string[]> {
  try {
    return await withScheduleClient(resolveTarget({ localStack: true }), (client, target) => applySchedules(client, target, pipelines));
  } catch (err) {
    // On the local stack the schedules are a convenience: say what went wrong, but let the stack and demo go on.
    return [`schedules not applied: ${failureMessage(err)}`];
  }
}

export async function scheduleApplyCommand(options: { pipeline?: string; configDir?: string }) {
  const { pipeline, configDir } = options;
  const pipelines = pipeline ? [loadScheduledPipeline({ pipeline, configDir })] : parseInput(() => loadAllPipelines(configDir));
  await withScheduleClient(resolveTarget(), async (client, target) => {
    for (const line of await applySchedules(client, target, pipelines)) console.log(line);
    if (target.uiUrl) console.log(`Temporal UI: ${schedulesUiUrl(target.uiUrl, target.namespace)}`);
  });
}

export async function scheduleListCommand(options: { json: boolean }) {
  await withScheduleClient(resolveTarget(), async (client) => {
    const listings = await listSchedules(client);
    if (options.json) console.log(JSON.stringify(listings, null, 2));
    else if (listings.length === 0) console.log('No pipeline schedules yet: `etl schedule apply` creates them from the config.');
    else for (const line of listLines(listings)) console.log(line);
  });
}

export async function scheduleDescribeCommand(options: PipelineOptions & { json: boolean }) {
  const pipeline = loadScheduledPipeline(options);
  await withScheduleClient(resolveTarget(), async (client, target) => {
    const view = await describeSchedule(client, pipeline.name);
    if (options.json) return console.log(JSON.stringify(view, null, 2));
    const uiUrl = target.uiUrl && scheduleUiUrl(target.uiUrl, target.namespace, view.scheduleId);
    for (const line of describeLines(view, uiUrl)) console.log(line);
  });
}

export async function schedulePauseCommand(options: PipelineOptions & { note?: string }) {
  const pipeline = loadScheduledPipeline(options);
  const note = options.note ?? 'paused with `etl schedule pause`';
  await withScheduleClient(resolveTarget(), async (client) => {
    const scheduleId = await pauseSchedule(client, pipeline.name, note);
    console.log(`Paused ${scheduleId} (note: ${note}). Runs already started carry on.`);
    console.log(`Resume it with \`etl schedule unpause --pipeline ${pipeline.name}\`; missed runs are not caught up.`);
  });
}

export async function scheduleUnpauseCommand(options: PipelineOptions & { note?: string }) {
  const pipeline = loadScheduledPipeline(options);
  const note = options.note ?? 'unpaused with `etl schedule unpause`';
  await withScheduleClient(resolveTarget(), async (client) => {
    const scheduleId = await unpauseSchedule(client, pipeline.name, note);
    console.log(`Unpaused ${scheduleId} (note: ${note}).`);
  });
}

export async function scheduleTriggerCommand(options: PipelineOptions) {
  const pipeline = loadScheduledPipeline(options);
  await withScheduleClient(resolveTarget(), async (client) => {
    const scheduleId = await triggerSchedule(client, pipeline.name);
    const date = scheduledDate(new Date(), pipeline.schedule);
    console.log(`Triggered ${scheduleId}: a run starts now and processes ${date}.`);
    console.log(`Follow it with \`etl schedule describe --pipeline ${pipeline.name}\`.`);
  });
}

export async function scheduleDeleteCommand(options: PipelineOptions) {
  // A pipeline whose schedule block was removed may still have a schedule to delete.
  const pipeline = parseInput(() => loadPipeline(options.pipeline, options.configDir));
  await withScheduleClient(resolveTarget(), async (client) => {
    const scheduleId = await deleteSchedule(client, pipeline.name);
    console.log(`Deleted ${scheduleId}; runs it started are not affected.`);
  });
}

/** The pipeline's config, which must have a `schedule` block; anything else is bad input (exit 2). */
function loadScheduledPipeline({ pipeline: name, configDir }: PipelineOptions): ScheduledPipelineConfig {
  const pipeline = parseInput(() => loadPipeline(name, configDir));
  if (!hasSchedule(pipeline)) {
    throw new UsageError(`pipeline ${JSON.stringify(name)} has no schedule block in its config: add one (cron, timezone, dateOffsetDays) to schedule it`);
  }
  return pipeline;
}

/** Connects to the target for `use`; a missing schedule or one Temporal rejects is bad input, named with what to do. */
function withScheduleClient<T>(target: Target, use: (client: Client, target: Target) => Promise<T>): Promise<T> {
  return withClient(target, (client) =>
    use(client, target).catch((err: unknown) => {
      if (err instanceof ScheduleNotFoundError) {
        throw new UsageError(`there is no schedule ${err.scheduleId} on ${target.connection.address}: create it with \`etl schedule apply\``);
      }
      if (err instanceof InvalidScheduleError) throw new UsageError(err.message);
      throw err;
    }),
  );
}
