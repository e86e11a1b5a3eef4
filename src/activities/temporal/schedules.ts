import type { Client } from '@temporalio/client';
import { openScheduledRunsQuery } from '../../shared/scheduledRuns';
import { scheduledStartTime } from '../../shared/searchAttributes';

/** A run a Schedule started that is still open. */
export interface OpenScheduledRun {
  workflowId: string;
  /** Its nominal time (TemporalScheduledStartTime), ISO 8601. */
  scheduledTime: string;
}

/** What a scheduled run asks of its own schedule, through the worker's Temporal client. */
export function createScheduleActivities({ temporal }: { temporal: Client }) {
  return {
    /**
     * The runs of the schedule still open that were scheduled before `before`, oldest first, read from Temporal
     * visibility. Visibility lags by a moment, which matters only for runs due a moment apart.
     */
    async openEarlierScheduledRuns({ scheduleId, before }: { scheduleId: string; before: string }): Promise<OpenScheduledRun[]> {
      const runs: OpenScheduledRun[] = [];
      for await (const run of temporal.workflow.list({ query: openScheduledRunsQuery(scheduleId, new Date(before)) })) {
        const scheduledAt = run.typedSearchAttributes.get(scheduledStartTime);
        if (scheduledAt) runs.push({ workflowId: run.workflowId, scheduledTime: scheduledAt.toISOString() });
      }
      return runs.sort((a, b) => a.scheduledTime.localeCompare(b.scheduledTime));
    },

    /** Pauses the schedule with a note saying why; pausing a paused schedule only replaces its note. */
    async pauseSchedule({ scheduleId, note }: { scheduleId: string; note: string }): Promise<void> {
      await temporal.schedule.getHandle(scheduleId).pause(note);
    },
  };
}
