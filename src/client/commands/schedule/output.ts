import type { AppliedSchedule, ScheduleListing, ScheduleView } from '../../operations/schedules';
import { alignColumns } from '../../table';

/** 2024-01-16T08:00:00Z: schedule times are whole seconds. */
function timeText(time: Date): string {
  return time.toISOString().replace(/\.000Z$/, 'Z');
}

/** "1d", "90s", "0s": in the largest unit that divides the duration. */
function durationText(ms: number): string {
  if (ms === 0) return '0s';
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  const [unit, size] = units.find(([, size]) => ms % size === 0)!;
  return `${ms / size}${unit}`;
}

/** Which day a run processes, relative to the day it is scheduled on. */
function offsetText(dateOffsetDays: number): string {
  if (dateOffsetDays === 0) return 'the same day';
  return dateOffsetDays === -1 ? 'the day before' : `${-dateOffsetDays} days before`;
}

export function applyLine(pipeline: string, { outcome, deletedFormer }: AppliedSchedule, view: ScheduleView): string {
  const what = {
    created: `created schedule ${view.scheduleId}`,
    updated: `updated schedule ${view.scheduleId}`,
    unchanged: `schedule ${view.scheduleId} unchanged`,
    moved: `moved schedule ${deletedFormer} to ${view.scheduleId}, paused or active as it was and with its note`,
  }[outcome];
  const second = deletedFormer && outcome !== 'moved' ? `; deleted ${deletedFormer}, a second schedule of the pipeline under its former id` : '';
  return `${pipeline}: ${what}: "${view.cron}" in ${view.timezone}, each run processes ${offsetText(view.dateOffsetDays)}${nextRunText(view)}${second}`;
}

function nextRunText({ nextRuns, paused }: ScheduleView): string {
  if (paused) return '; paused';
  const [next] = nextRuns;
  return next ? `; next run ${timeText(next.scheduledTime)} for ${next.date}` : '';
}

/** Temporal computes ten; a few say enough in text (`--json` has them all). */
const shownNextRuns = 5;

export function describeLines(view: ScheduleView, uiUrl?: string): string[] {
  const rows: [string, string | string[]][] = [
    ['cron', `${view.cron} in ${view.timezone}; each run processes ${offsetText(view.dateOffsetDays)}`],
    ['state', `${view.paused ? 'paused' : 'active'}${view.note ? ` (note: ${view.note})` : ''}`],
    ['overlap', view.overlap],
    ['catch-up window', durationText(view.catchupWindowMs)],
    ['jitter', durationText(view.jitterMs)],
    ['pause on failure', view.pauseOnFailure ? 'yes' : 'no'],
    [
      view.paused ? 'next runs if unpaused' : 'next runs',
      view.nextRuns.slice(0, shownNextRuns).map(({ scheduledTime, date }) => `${timeText(scheduledTime)}  processes ${date}`),
    ],
    ['recent runs', view.recentRuns.map((run) => `${timeText(run.scheduledTime)}  ${run.workflowId} (started ${timeText(run.startedAt)})`)],
    ['running now', view.runningWorkflowIds],
    ['actions', `${view.actionsTaken} taken, ${view.missedCatchupWindow} missed (outside the catch-up window)`],
  ];
  if (uiUrl) rows.push(['Temporal UI', uiUrl]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = [`Schedule ${view.scheduleId} (pipeline ${view.pipeline})`];
  for (const [label, value] of rows) {
    const values = typeof value === 'string' ? [value] : value.length ? value : ['none'];
    values.forEach((text, index) => lines.push(`  ${(index === 0 ? label : '').padEnd(width)}${text}`));
  }
  return lines;
}

export function listLines(listings: ScheduleListing[]): string[] {
  const table = [
    ['SCHEDULE', 'PIPELINE', 'STATE', 'NEXT RUN', 'LAST RUN'],
    ...listings.map((listing) => [
      listing.scheduleId,
      listing.pipeline,
      listing.paused ? 'paused' : 'active',
      listing.nextRun && !listing.paused ? timeText(listing.nextRun) : '-',
      listing.lastRun ? `${timeText(listing.lastRun.scheduledTime)} ${listing.lastRun.workflowId}` : '-',
    ]),
  ];
  return alignColumns(table);
}
