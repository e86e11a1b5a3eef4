import { Client, Connection } from '@temporalio/client';
import type { StepKind } from '../steps/registry';
import { pipelineRunTypes, workflowTypeIn } from '../shared/ids';
import { searchAttributes } from '../shared/searchAttributes';

/**
 * The steps whose outside work lives in the memory of the local stack's moto and emulator: the date's files in
 * S3 (validate; Glue reads what validation moved), the Glue run (glue), the Redshift statement (load, refresh).
 * When those servers start afresh that work is gone, and a run at one of these steps would wait on it for ever.
 * The Temporal history and the Redshift tables are kept, and notification topics are provisioned again under the
 * same names, so a run at its notify step, and the schedules' and backfills' own workflows, carry on: a backfill
 * records an ended date as failed, as it would any other.
 */
const stepsLostWithEmulatedAws: ReadonlySet<StepKind | undefined> = new Set([undefined, 'validate', 'glue', 'load', 'refresh']);

export interface RunThatCannotResume {
  workflowId: string;
  runId: string;
  step?: string;
}

/** The open pipeline runs at a step whose outside work a restart of moto and the emulator loses. */
export async function runsThatCannotResume(address: string, namespace: string): Promise<RunThatCannotResume[]> {
  return withClient(address, namespace, async (client) => {
    const runs: RunThatCannotResume[] = [];
    for await (const run of client.workflow.list({ query: `ExecutionStatus = 'Running' AND ${workflowTypeIn(pipelineRunTypes)}` })) {
      const step = run.typedSearchAttributes.get(searchAttributes.step) as StepKind | undefined;
      if (stepsLostWithEmulatedAws.has(step)) runs.push({ workflowId: run.workflowId, runId: run.runId, step });
    }
    return runs;
  });
}

/** Terminates those runs, once moto and the emulator have started afresh. */
export async function endRunsThatCannotResume(address: string, namespace: string): Promise<RunThatCannotResume[]> {
  const runs = await runsThatCannotResume(address, namespace);
  await withClient(address, namespace, async (client) => {
    for (const { workflowId, runId, step } of runs) {
      await client.workflow
        .getHandle(workflowId, runId)
        .terminate(
          `the local stack started afresh: the ${step ?? 'first'} step's files, Glue run or Redshift statement lived in ` +
            "the earlier stack's emulated AWS and are gone; run the date again with `etl run`",
        );
    }
  });
  return runs;
}

async function withClient<T>(address: string, namespace: string, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new Client({ connection, namespace }));
  } finally {
    await connection.close();
  }
}
