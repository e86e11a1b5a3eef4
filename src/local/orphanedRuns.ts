import { Client, Connection } from '@temporalio/client';

/**
 * Runs left open by an earlier local stack cannot finish: moto and the emulator kept their Glue runs,
 * statements and files in memory, and that state is gone. A fresh stack terminates them, so a new run of
 * the same date starts cleanly instead of attaching to one that waits for ever.
 */
export async function terminateOrphanedRuns(address: string, namespace: string): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const query = "ExecutionStatus = 'Running' AND WorkflowType IN ('dailyPipeline', 'scheduledPipeline', 'backfillPipeline')";
    const terminated: string[] = [];
    for await (const run of client.workflow.list({ query })) {
      await client.workflow
        .getHandle(run.workflowId, run.runId)
        .terminate('the local stack restarted: its emulated AWS state, which this run depended on, is gone');
      terminated.push(run.workflowId);
    }
    return terminated;
  } finally {
    await connection.close();
  }
}
