import { scheduledById, scheduledStartTime } from './searchAttributes';
import { scheduledRunType } from './ids';

/**
 * The visibility query for a schedule's scheduledPipeline runs that are still open; with `before`, only those
 * scheduled before that instant. Temporal tracks the runs of a schedule itself only when they cannot overlap.
 */
export function openScheduledRunsQuery(scheduleId: string, before?: Date): string {
  const query = `WorkflowType = '${scheduledRunType}' AND ${scheduledById.name} = '${scheduleId}' AND ExecutionStatus = 'Running'`;
  return before ? `${query} AND ${scheduledStartTime.name} < '${before.toISOString()}'` : query;
}
