import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { log } from '@temporalio/activity';
import type { LoadResult, RedshiftStepInput, RefreshResult } from '../../shared/stepResults';
import { checkAgainLater } from '../checkAgainLater';
import { explainLoadFailure } from './loadFailure';
import { loadStatements, refreshStatements } from './sql';
import { cancelStatement, finishedBatch, runBatch, submitBatch, type Batch, type FinishedBatch } from './statements';

/** The statement a step submitted, to wait for or cancel. */
export interface SubmittedStatement {
  statementId: string;
}

export interface WaitForStatementInput extends RedshiftStepInput, SubmittedStatement {}

/** The date's load: its batch, and how its figures are read from the finished batch. */
function load({ pipeline, date }: RedshiftStepInput) {
  const statements = loadStatements(pipeline.redshift, date);
  const batch: Batch = {
    sqls: statements.sqls,
    statementName: `etl-${pipeline.name}-${date}-load`,
    explainFailure: explainLoadFailure(pipeline.redshift, date, statements),
  };
  const result = (finished: FinishedBatch): LoadResult => ({
    statementId: finished.statementId,
    statements: statements.sqls,
    durationMs: finished.durationMs,
    rowsLoaded: finished.resultRows[statements.insertIndex],
  });
  return { batch, result };
}

function refresh({ pipeline, date }: RedshiftStepInput) {
  const batch: Batch = { sqls: refreshStatements(pipeline.views), statementName: `etl-${pipeline.name}-${date}-refresh` };
  const result = (finished: FinishedBatch): RefreshResult => ({ statementId: finished.statementId, viewsRefreshed: pipeline.views });
  return { batch, result };
}

export function createRedshiftActivities({ redshiftData }: { redshiftData: RedshiftDataClient }) {
  async function submit(input: RedshiftStepInput, batch: Batch): Promise<SubmittedStatement> {
    const statementId = await submitBatch(redshiftData, input.pipeline.redshift, batch);
    log.info('Redshift statement submitted', { statementId, statementName: batch.statementName });
    return { statementId };
  }

  /** Checks the statement once; while it runs, Temporal checks again later and the wait holds no worker slot. */
  async function waitFor({ pipeline, statementId }: WaitForStatementInput, batch: Batch): Promise<FinishedBatch> {
    const finished = await finishedBatch(redshiftData, statementId, batch);
    if (finished) return finished;
    throw checkAgainLater(`Redshift statement ${batch.statementName} (${statementId}) is still running`, pipeline.redshift.pollInterval);
  }

  return {
    /** Submits the date's load as one transaction; a retry gets the same statement back by its ClientToken. */
    submitLoad(input: RedshiftStepInput): Promise<SubmittedStatement> {
      return submit(input, load(input).batch);
    },

    async waitForLoad(input: WaitForStatementInput): Promise<LoadResult> {
      const { batch, result } = load(input);
      return result(await waitFor(input, batch));
    },

    submitViewRefresh(input: RedshiftStepInput): Promise<SubmittedStatement> {
      return submit(input, refresh(input).batch);
    },

    async waitForViewRefresh(input: WaitForStatementInput): Promise<RefreshResult> {
      const { batch, result } = refresh(input);
      return result(await waitFor(input, batch));
    },

    /** CancelStatement; the workflow calls it when the run is cancelled or the wait's deadline passes. */
    async cancelStatement({ statementId }: SubmittedStatement): Promise<void> {
      await cancelStatement(redshiftData, statementId);
      log.info('Redshift statement cancelled', { statementId });
    },

    /** The load in one activity that polls while it holds a worker slot, for runs started before it was split. */
    async loadToRedshift(input: RedshiftStepInput): Promise<LoadResult> {
      const { batch, result } = load(input);
      return result(await runBatch(redshiftData, input.pipeline.redshift, batch));
    },

    /** The refresh in one activity that polls while it holds a worker slot: the backfill's one refresh, and runs started before it was split. */
    async refreshViews(input: RedshiftStepInput): Promise<RefreshResult> {
      if (input.pipeline.views.length === 0) return { viewsRefreshed: [] };
      const { batch, result } = refresh(input);
      return result(await runBatch(redshiftData, input.pipeline.redshift, batch));
    },
  };
}
