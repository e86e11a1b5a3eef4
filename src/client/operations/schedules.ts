import { isDeepStrictEqual } from 'node:util';
import {
  ScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleOptions,
  type ScheduleOverlapPolicy,
} from '@temporalio/client';
import { msToNumber } from '@temporalio/common';
import type { PipelineConfig } from '../../config/schema';
import { formerPipelineScheduleId, pipelineScheduleId } from '../../shared/ids';
import { openScheduledRunsQuery } from '../../shared/scheduledRuns';
import { scheduledDate } from '../../shared/scheduledDate';
import type { ScheduleOverrides } from '../../target/target';
import { scheduledPipeline, type ScheduledRunInput } from '../../workflows/scheduled';

type Schedule = NonNullable<PipelineConfig['schedule']>;
export type OverlapPolicy = Schedule['overlap'];

/** A pipeline whose config has a `schedule` block. */
export type ScheduledPipelineConfig = PipelineConfig & { schedule: Schedule };

export function hasSchedule(pipeline: PipelineConfig): pipeline is ScheduledPipelineConfig {
  return pipeline.schedule !== undefined;
}

/** 'moved': the pipeline's schedule was under its former id; it is now under today's, its pause and note kept. */
export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'moved';

export interface AppliedSchedule {
  outcome: ApplyOutcome;
  /** The schedule under the pipeline's former id that apply deleted: the one moved, or a second one beside today's. */
  deletedFormer?: string;
}

/** Temporal rejected the schedule made from a pipeline's config, such as a cron value out of range. */
export class InvalidScheduleError extends Error {}

/** What `apply` sets on a pipeline's schedule; the schedule's state (paused, note) belongs to its users. */
type DesiredSchedule = Pick<ScheduleOptions, 'spec' | 'action' | 'policies'>;

function desiredSchedule(pipeline: ScheduledPipelineConfig, overrides: ScheduleOverrides): DesiredSchedule {
  const { schedule } = pipeline;
  const input: ScheduledRunInput = { pipeline };
  return {
    spec: { cronExpressions: [schedule.cron], timezone: schedule.timezone, jitter: schedule.jitter },
    action: {
      type: 'startWorkflow',
      workflowType: scheduledPipeline,
      // Temporal appends each run's scheduled time: etl-orders-schedule-2024-01-16T08:00:00Z.
      workflowId: pipelineScheduleId(pipeline.name),
      taskQueue: pipeline.taskQueue,
      args: [input],
      staticSummary: `${pipeline.name}: scheduled run`,
    },
    policies: {
      overlap: temporalOverlapPolicies[schedule.overlap],
      catchupWindow: overrides.catchupWindow ?? schedule.catchupWindow,
      // Temporal cannot pause on the failure of runs that may overlap: the scheduled run pauses the schedule itself.
      pauseOnFailure: false,
    },
  };
}

/**
 * The policy Temporal applies. Under skip, every run starts and the scheduled run itself skips the date when an
 * earlier one still runs: Temporal's own skip would drop the date without a trace.
 */
const temporalOverlapPolicies: Record<OverlapPolicy, ScheduleOverlapPolicy> = {
  buffer_all: 'BUFFER_ALL',
  allow_all: 'ALLOW_ALL',
  skip: 'ALLOW_ALL',
};

/**
 * The settings `apply` owns, in one shape for what the config wants and what the server has. The server
 * compiles the cron into calendar specs, so the cron is compared through the config snapshot in the
 * action's arguments (which holds the whole schedule block) rather than through the spec.
 */
function comparable(schedule: DesiredSchedule | ScheduleDescription) {
  const { spec, action, policies } = schedule;
  return {
    workflowType: typeof action.workflowType === 'string' ? action.workflowType : action.workflowType.name,
    workflowId: action.workflowId,
    taskQueue: action.taskQueue,
    // What the server returns is decoded JSON: compare it with the JSON form of what we send.
    args: JSON.parse(JSON.stringify(action.args)) as unknown,
    staticSummary: action.staticSummary,
    timezone: spec.timezone,
    jitterMs: spec.jitter === undefined ? 0 : msToNumber(spec.jitter),
    overlap: policies?.overlap,
    catchupWindowMs: policies?.catchupWindow === undefined ? undefined : msToNumber(policies.catchupWindow),
    pauseOnFailure: policies?.pauseOnFailure,
  };
}

/** The pipeline's schedule under today's id. */
export function scheduleHandle(client: Client, pipeline: string): ScheduleHandle {
  return client.schedule.getHandle(pipelineScheduleId(pipeline));
}

/**
 * The pipeline's schedule under whichever id it has: today's, or the former one until `etl schedule apply` moves
 * it. With neither, today's (whose use then fails with ScheduleNotFoundError naming it).
 */
export async function existingScheduleHandle(client: Client, pipeline: string): Promise<ScheduleHandle> {
  const current = scheduleHandle(client, pipeline);
  if (await describeIfExists(current)) return current;
  const former = client.schedule.getHandle(formerPipelineScheduleId(pipeline));
  return (await describeIfExists(former)) ? former : current;
}

/**
 * Creates the pipeline's schedule, or updates it when the config (or an override) changed. An equal schedule is
 * left untouched, so applying twice changes nothing; updating keeps it paused or running, as it was. A schedule
 * under the pipeline's former id is moved to today's, paused or running as it was and with its note, so the
 * pipeline keeps one schedule.
 */
export async function applySchedule(client: Client, pipeline: ScheduledPipelineConfig, overrides: ScheduleOverrides = {}): Promise<AppliedSchedule> {
  const formerHandle = client.schedule.getHandle(formerPipelineScheduleId(pipeline.name));
  const former = await describeIfExists(formerHandle);
  const outcome = await applyUnderCurrentId(client, pipeline, desiredSchedule(pipeline, overrides), former?.state);
  if (!former) return { outcome };
  // Only once today's schedule exists, so that an apply that fails leaves the pipeline its schedule.
  await formerHandle.delete();
  return { outcome, deletedFormer: formerHandle.scheduleId };
}

/** `movingState`: the pause and note of the schedule under the former id, which a schedule created now takes. */
async function applyUnderCurrentId(
  client: Client,
  pipeline: ScheduledPipelineConfig,
  desired: DesiredSchedule,
  movingState?: ScheduleDescription['state'],
): Promise<ApplyOutcome> {
  const handle = scheduleHandle(client, pipeline.name);
  // The SDK reports the server's INVALID_ARGUMENT as a TypeError carrying the server's reason.
  const rejected = (err: unknown): never => {
    if (!(err instanceof TypeError)) throw err;
    throw new InvalidScheduleError(`pipeline ${pipeline.name}: Temporal rejected its schedule block: ${err.message}`);
  };
  const current = await describeIfExists(handle);
  if (!current) {
    const memo = { pipeline: pipeline.name };
    const state = movingState && { paused: movingState.paused, note: movingState.note };
    await client.schedule.create({ scheduleId: handle.scheduleId, ...desired, memo, state }).catch(rejected);
    return movingState ? 'moved' : 'created';
  }
  if (isDeepStrictEqual(comparable(desired), comparable(current))) return 'unchanged';
  await handle.update((previous) => ({ ...desired, state: previous.state })).catch(rejected);
  return 'updated';
}

export async function describeIfExists(handle: ScheduleHandle): Promise<ScheduleDescription | undefined> {
  try {
    return await handle.describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}

/** One past run of a schedule: when it was due and the scheduledPipeline workflow it started. */
export interface ScheduledRunRecord {
  scheduledTime: Date;
  startedAt: Date;
  workflowId: string;
  runId: string;
}

/** What a user wants to know about a pipeline's schedule. */
export interface ScheduleView {
  scheduleId: string;
  pipeline: string;
  /** From the config the schedule was last applied with. */
  cron: string;
  timezone: string;
  dateOffsetDays: number;
  overlap: OverlapPolicy;
  catchupWindowMs: number;
  jitterMs: number;
  pauseOnFailure: boolean;
  paused: boolean;
  note?: string;
  nextRuns: { scheduledTime: Date; date: string }[];
  /** Oldest first. */
  recentRuns: ScheduledRunRecord[];
  runningWorkflowIds: string[];
  actionsTaken: number;
  missedCatchupWindow: number;
}

/** The schedule as it is on the server; throws ScheduleNotFoundError when there is none. */
export async function describeSchedule(client: Client, pipeline: string): Promise<ScheduleView> {
  const description = await (await existingScheduleHandle(client, pipeline)).describe();
  const running: string[] = [];
  for await (const run of client.workflow.list({ query: openScheduledRunsQuery(description.scheduleId) })) running.push(run.workflowId);
  return scheduleView(description, running.sort());
}

function scheduleView(description: ScheduleDescription, runningWorkflowIds: string[]): ScheduleView {
  const [input] = description.action.args as [ScheduledRunInput];
  const { pipeline } = input;
  const schedule = pipeline.schedule!;
  const { info, policies, state, spec } = description;
  return {
    scheduleId: description.scheduleId,
    pipeline: pipeline.name,
    cron: schedule.cron,
    timezone: spec.timezone ?? 'UTC',
    dateOffsetDays: schedule.dateOffsetDays,
    overlap: schedule.overlap,
    catchupWindowMs: policies.catchupWindow,
    jitterMs: spec.jitter ?? 0,
    pauseOnFailure: schedule.pauseOnFailure,
    paused: state.paused,
    note: state.note,
    nextRuns: info.nextActionTimes.map((scheduledTime) => ({ scheduledTime, date: scheduledDate(scheduledTime, schedule) })),
    recentRuns: info.recentActions.map(({ scheduledAt, takenAt, action }) => ({
      scheduledTime: scheduledAt,
      startedAt: takenAt,
      workflowId: action.workflow.workflowId,
      runId: action.workflow.firstExecutionRunId,
    })),
    runningWorkflowIds,
    actionsTaken: info.numActionsTaken,
    missedCatchupWindow: info.numActionsMissedCatchupWindow,
  };
}

/** One line of `etl schedule list`. */
export interface ScheduleListing {
  scheduleId: string;
  pipeline: string;
  paused: boolean;
  note?: string;
  nextRun?: Date;
  lastRun?: { scheduledTime: Date; workflowId: string };
}

/**
 * The pipelines' schedules on the server: those whose action is scheduledPipeline. Listing is eventually
 * consistent, so a schedule applied a moment ago may be missing for a second.
 */
export async function listSchedules(client: Client): Promise<ScheduleListing[]> {
  const listings: ScheduleListing[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.action?.workflowType !== scheduledPipeline.name) continue;
    const last = summary.info.recentActions.at(-1);
    listings.push({
      scheduleId: summary.scheduleId,
      pipeline: typeof summary.memo?.pipeline === 'string' ? summary.memo.pipeline : summary.scheduleId,
      paused: summary.state.paused,
      note: summary.state.note,
      nextRun: summary.info.nextActionTimes[0],
      lastRun: last && { scheduledTime: last.scheduledAt, workflowId: last.action.workflow.workflowId },
    });
  }
  return listings.sort((a, b) => a.pipeline.localeCompare(b.pipeline));
}

/** Pauses the pipeline's schedule; returns its id. */
export async function pauseSchedule(client: Client, pipeline: string, note: string): Promise<string> {
  const handle = await existingScheduleHandle(client, pipeline);
  await handle.pause(note);
  return handle.scheduleId;
}

/** Unpauses the pipeline's schedule; returns its id. */
export async function unpauseSchedule(client: Client, pipeline: string, note: string): Promise<string> {
  const handle = await existingScheduleHandle(client, pipeline);
  await handle.unpause(note);
  return handle.scheduleId;
}

/**
 * Starts a scheduled run now: it processes the date for this moment (with the offset) and follows the
 * schedule's overlap policy like any scheduled run. A run already open for the same date is reported, not doubled.
 */
export async function triggerSchedule(client: Client, pipeline: string): Promise<string> {
  const handle = await existingScheduleHandle(client, pipeline);
  // Temporal's default for triggers is allow_all; the schedule's own policy is the one its users chose.
  await handle.trigger((await handle.describe()).policies.overlap);
  return handle.scheduleId;
}

/** Deletes the schedule; runs it already started carry on. Returns its id. */
export async function deleteSchedule(client: Client, pipeline: string): Promise<string> {
  const handle = await existingScheduleHandle(client, pipeline);
  await handle.delete();
  return handle.scheduleId;
}
