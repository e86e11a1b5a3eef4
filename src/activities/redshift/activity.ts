import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { log } from '@temporalio/activity';
import type { LoadInput, RedshiftConnection, RefreshInput, SqlInput } from '../../shared/activityInputs';
import type { LoadResult, RefreshResult, SqlStepResult } from '../../shared/stepResults';
import { checkAgainLater } from '../checkAgainLater';
import { loadOf, refreshOf, type WithConfig } from '../earlierInputs';
import { explainLoadFailure } from './loadFailure';
import { loadStatements, refreshStatements } from './sql';
import { sqlStep } from './sqlStep';
import { cancelStatement, finishedBatch, runBatch, submitBatch, type Batch, type FinishedBatch } from './statements';

/** The statement a step submitted, to wait for or cancel. */
export interface SubmittedStatement {
  statementId: string;
}

export type WaitForLoadInput = LoadInput & SubmittedStatement;
export type WaitForRefreshInput = RefreshInput & SubmittedStatement;
export type WaitForSqlInput = SqlInput & SubmittedStatement;

/** The fields an earlier input carried in the config. */
type LoadFields = 'pipelineName' | 'redshift';
type RefreshFields = LoadFields | 'views';

/** The date's load: its batch, and how its figures are read from the finished batch. */
function load(input: LoadInput) {
  const { pipelineName, date, redshift } = input;
  const statements = loadStatements(redshift, date, pipelineName);
  const batch: Batch = {
    sqls: statements.sqls,
    statementName: `etl-${pipelineName}-${date}-load`,
    explainFailure: explainLoadFailure(input, statements),
  };
  const result = (finished: FinishedBatch): LoadResult => ({
    statementId: finished.statementId,
    statements: statements.sqls,
    durationMs: finished.durationMs,
    rowsLoaded: finished.resultRows[statements.insertIndex],
    mode: statements.mode,
    rowsDeleted: statements.deleteIndex === undefined ? undefined : finished.resultRows[statements.deleteIndex],
  });
  return { batch, result };
}

function refresh({ pipelineName, date, views }: RefreshInput) {
  const batch: Batch = { sqls: refreshStatements(views), statementName: `etl-${pipelineName}-${date}-refresh` };
  const result = (finished: FinishedBatch): RefreshResult => ({ statementId: finished.statementId, viewsRefreshed: views });
  return { batch, result };
}

export function createRedshiftActivities({ redshiftData }: { redshiftData: RedshiftDataClient }) {
  async function submit(redshift: RedshiftConnection, batch: Batch): Promise<SubmittedStatement> {
    const statementId = await submitBatch(redshiftData, redshift, batch);
    log.info('Redshift statement submitted', { statementId, statementName: batch.statementName });
    return { statementId };
  }

  /** Checks the statement once; while it runs, Temporal checks again later and the wait holds no worker slot. */
  async function waitFor({ redshift, statementId }: { redshift: RedshiftConnection } & SubmittedStatement, batch: Batch): Promise<FinishedBatch> {
    const finished = await finishedBatch(redshiftData, statementId, batch);
    if (finished) return finished;
    throw checkAgainLater(`Redshift statement ${batch.statementName} (${statementId}) is still running`, redshift.pollInterval);
  }

  return {
    /** Submits the date's load as one transaction; a retry gets the same statement back by its ClientToken. */
    submitLoad(given: LoadInput | WithConfig<LoadInput, LoadFields>): Promise<SubmittedStatement> {
      const input = loadOf(given);
      return submit(input.redshift, load(input).batch);
    },

    async waitForLoad(given: WaitForLoadInput | WithConfig<WaitForLoadInput, LoadFields>): Promise<LoadResult> {
      const input = loadOf(given);
      const { batch, result } = load(input);
      return result(await waitFor(input, batch));
    },

    submitViewRefresh(given: RefreshInput | WithConfig<RefreshInput, RefreshFields>): Promise<SubmittedStatement> {
      const input = refreshOf(given);
      return submit(input.redshift, refresh(input).batch);
    },

    async waitForViewRefresh(given: WaitForRefreshInput | WithConfig<WaitForRefreshInput, RefreshFields>): Promise<RefreshResult> {
      const input = refreshOf(given);
      const { batch, result } = refresh(input);
      return result(await waitFor(input, batch));
    },

    /** Submits a sql step's statements and check as one transaction, `:date` bound; a retry gets the same statement back. */
    submitSql(input: SqlInput): Promise<SubmittedStatement> {
      return submit(input.redshift, sqlStep(input).batch);
    },

    /** The step's figures once its transaction has finished; rows found by its check fail it for good. */
    async waitForSql(input: WaitForSqlInput): Promise<SqlStepResult> {
      const { batch, result } = sqlStep(input);
      return result(await waitFor(input, batch), redshiftData);
    },

    /** CancelStatement; the workflow calls it when the run is cancelled or the wait's deadline passes. */
    async cancelStatement({ statementId }: SubmittedStatement): Promise<void> {
      await cancelStatement(redshiftData, statementId);
      log.info('Redshift statement cancelled', { statementId });
    },

    /** The load in one activity that polls while it holds a worker slot, for runs started before it was split. */
    async loadToRedshift(given: LoadInput | WithConfig<LoadInput, LoadFields>): Promise<LoadResult> {
      const input = loadOf(given);
      const { batch, result } = load(input);
      return result(await runBatch(redshiftData, input.redshift, batch));
    },

    /** The refresh in one activity that polls while it holds a worker slot: the backfill's one refresh, and runs started before it was split. */
    async refreshViews(given: RefreshInput | WithConfig<RefreshInput, RefreshFields>): Promise<RefreshResult> {
      const input = refreshOf(given);
      if (input.views.length === 0) return { viewsRefreshed: [] };
      const { batch, result } = refresh(input);
      return result(await runBatch(redshiftData, input.redshift, batch));
    },
  };
}
