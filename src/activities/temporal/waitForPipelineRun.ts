import { Context } from '@temporalio/activity';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { PipelineRunEnd } from '../../shared/backfill';
import { runFailure } from '../../shared/runFailure';

/** Well inside the heartbeat timeout the backfill gives this activity. */
const heartbeatEveryMs = 10_000;

export function createRunWatchActivities({ temporal }: { temporal: Client }) {
  return {
    /**
     * Waits for a pipeline run that was already open when a backfill reached its date, and says how it ended.
     * Cancelling only stops the waiting: the run belongs to whoever started it.
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
  };
}
