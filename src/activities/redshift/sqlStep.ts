import { GetStatementResultCommand, type RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { ApplicationFailure } from '@temporalio/common';
import { runsOnItsOwn } from '../../shared/outsideTransaction';
import { fieldValue } from '../../redshift/runSql';
import type { SqlInput } from '../../shared/activityInputs';
import { parseRunDate } from '../../shared/dates';
import { errorTypes } from '../../shared/errorTypes';
import type { SqlStepResult } from '../../shared/stepResults';
import type { Batch, FinishedBatch } from './statements';

/** `:date`, but not a cast such as `x::date` nor a longer name such as `:date_from`. */
const dateParameter = /(?<![:\w]):date\b/;

/** How many of the rows a failing check found its error shows, and how much of each value. */
const shownRows = 5;
const shownValueChars = 100;

/**
 * A sql step as one batch: its statements in order, then its check, in one transaction. The Data API binds
 * named parameters in every SQL text of a batch, so `:date` is the run's date wherever a value can be. A step
 * whose one statement cannot run in a transaction (VACUUM) submits it on its own.
 */
export function sqlStep({ pipelineName, date, stepId, statements, check }: SqlInput) {
  const sqls = check === undefined ? statements : [...statements, check];
  const runDate = parseRunDate(date);
  const batch: Batch = {
    sqls,
    statementName: `etl-${pipelineName}-${date}-${stepId}`,
    // The Data API refuses a parameter that no SQL text of the batch uses.
    parameters: sqls.some((sql) => dateParameter.test(sql)) ? [{ name: 'date', value: runDate }] : undefined,
    outsideTransaction: runsOnItsOwn(sqls),
  };

  /** The step's figures; a check that found rows fails the step, with the first of them. */
  async function result(finished: FinishedBatch, redshiftData: RedshiftDataClient): Promise<SqlStepResult> {
    const figures: SqlStepResult = {
      statementId: finished.statementId,
      statements: sqls,
      rowsAffected: finished.resultRows,
      durationMs: finished.durationMs,
    };
    if (check === undefined) return figures;
    const checkIndex = sqls.length - 1;
    const rowsFound = finished.resultRows[checkIndex] ?? 0;
    if (rowsFound === 0) return { ...figures, checkRows: 0 };
    const found = await firstRows(redshiftData, `${finished.statementId}:${checkIndex + 1}`);
    const shown = found.rows.map((row) => `(${row.map((value, column) => `${found.columns[column]}=${value}`).join(', ')})`).join('; ');
    const more = rowsFound > found.rows.length ? ` (the first ${found.rows.length})` : '';
    const after = statements.length > 0 ? "The step's statements before the check were committed; the" : 'The';
    throw ApplicationFailure.nonRetryable(
      `The check of step ${stepId} found ${rowsFound} row(s) that must not exist for ${date}${more}: ${shown}. ` +
        `${after} steps after it did not run. Fix the data or the check, then run the date again.`,
      errorTypes.DataQualityCheckFailed,
      { statementId: finished.statementId, check, rowsFound, columns: found.columns, rows: found.rows },
    );
  }

  return { batch, result };
}

/** The first rows of a check's result, each value as text and cut short. */
async function firstRows(redshiftData: RedshiftDataClient, subStatementId: string): Promise<{ columns: string[]; rows: string[][] }> {
  const page = await redshiftData.send(new GetStatementResultCommand({ Id: subStatementId }));
  const columns = (page.ColumnMetadata ?? []).map((column) => column.name ?? '?');
  const rows = (page.Records ?? []).slice(0, shownRows).map((record) =>
    record.map((field) => {
      const text = String(fieldValue(field));
      return text.length > shownValueChars ? `${text.slice(0, shownValueChars)}…` : text;
    }),
  );
  return { columns, rows };
}
