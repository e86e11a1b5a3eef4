import { Context } from '@temporalio/activity';
import { WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { PipelineRunEnd, RunningDate } from '../../shared/backfill';
import { runFailure } from '../../shared/runFailure';
import { checkAgainLater } from '../checkAgainLater';

/** Well inside the heartbeat timeout the backfill gives this activity. */
const heartbeatEveryMs = 10_000;

/** Runs described at once by one check: hundreds of dates take a few round trips without flooding Temporal. */
const describedAtOnce = 20;

/** A run a backfill waits for: the run it started, or the date's latest run when it attached to one. */
export type WatchedRun = Pick<RunningDate, 'workflowId' | 'runId'>;

export interface ClosedPipelineRun {
  workflowId: string;
  end: PipelineRunEnd;
}

export function createRunWatchActivities({ temporal }: { temporal: Client }) {
  /** How the run ended, or undefined while it is open. */
  async function runEnd({ workflowId, runId }: WatchedRun): Promise<PipelineRunEnd | undefined> {
    const handle = temporal.workflow.getHandle(workflowId, runId);
    try {
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') return undefined;
      if (status.name === 'COMPLETED') return { outcome: 'succeeded' };
      // A closed run's result answers at once, with the failure that says how it ended.
      await handle.result();
      return { outcome: 'succeeded' };
    } catch (err) {
      if (err instanceof WorkflowFailedError) return { outcome: 'failed', ...runFailure(err) };
      if (err instanceof WorkflowNotFoundError) {
        return { outcome: 'failed', error: `the run ${workflowId} is no longer in Temporal (deleted, or past the namespace's retention): run the date again` };
      }
      throw err;
    }
  }

  return {
    /**
     * Waits for a pipeline run that was already open when a backfill reached its date, and says how it ended.
     * Cancelling only stops the waiting: the run belongs to whoever started it. Backfills begun before
     * waitForPipelineRunsToClose existed still call it.
     */
    async waitForPipelineRun({ workflowId }: { workflowId: string }): Promise<PipelineRunEnd> {
      const context = Context.current();
      context.heartbeat();
      const beating = setInterval(() => context.heartbeat(), heartbeatEveryMs);
      try {
        const result = temporal.withAbortSignal(context.cancellationSignal, () => temporal.workflow.getHandle(workflowId).result());
        await Promise.race([result, context.cancelled]);
        return { outcome: 'succeeded' };
      } catch (err) {
        if (err instanceof WorkflowFailedError) return { outcome: 'failed', ...runFailure(err) };
        throw err;
      } finally {
        clearInterval(beating);
      }
    },

    /**
     * The runs that have closed, and how each ended, once at least one has; runs still open are left out.
     * Until one closes, each check ends with a delay to the next one (up to `pollInterval`), so a backfill
     * waiting for its runs holds no worker slot and adds nothing to its history.
     */
    async waitForPipelineRunsToClose({ runs, pollInterval }: { runs: WatchedRun[]; pollInterval: Duration }): Promise<ClosedPipelineRun[]> {
      const closed: ClosedPipelineRun[] = [];
      for (let first = 0; first < runs.length; first += describedAtOnce) {
        const batch = runs.slice(first, first + describedAtOnce);
        const ends = await Promise.all(batch.map(runEnd));
        batch.forEach(({ workflowId }, i) => {
          const end = ends[i];
          if (end) closed.push({ workflowId, end });
        });
      }
      if (closed.length === 0) throw checkAgainLater(`None of the ${runs.length} pipeline run(s) has closed`, pollInterval);
      return closed;
    },
  };
}
