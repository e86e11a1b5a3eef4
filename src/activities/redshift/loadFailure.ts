import { ApplicationFailure } from '@temporalio/common';
import type { LoadInput } from '../../shared/activityInputs';
import { errorTypes } from '../../shared/errorTypes';
import { copySource } from './copySource';
import { appendLedger, type LoadStatements } from './sql';
import type { FailedStatement } from './statements';

/**
 * The load's checks fail by dividing by zero, which is all Redshift reports: each is said as what it means.
 * Other failures keep Redshift's own text.
 */
export function explainLoadFailure({ pipelineName, date, redshift }: LoadInput, load: LoadStatements): (failed: FailedStatement) => ApplicationFailure | undefined {
  return ({ statementId, index, error }) => {
    const { url } = copySource(redshift, date);
    const { table, dateColumn } = redshift;
    const unchanged = `nothing was loaded and ${table} is as it was`;
    switch (index) {
      case load.dateCheckIndex:
        return ApplicationFailure.nonRetryable(
          `Some rows of the COPY source ${url} have no ${dateColumn} or one other than ${date}; ` +
            `nothing was loaded and ${table} keeps the rows it had for ${date}. ` +
            `Check the Glue job's output: it must write only ${date}'s rows under that folder.`,
          errorTypes.RowsOfAnotherDate,
          { statementId, source: url, dateColumn, error },
        );
      case load.keyCheckIndex: {
        const key = (redshift.keyColumns ?? []).join(', ');
        return ApplicationFailure.nonRetryable(
          `Some rows of the COPY source ${url} share their key (${key}) with another row, or have none; ` +
            `Redshift has no unique constraints, so an upsert of them would leave ${table} with duplicate keys: ${unchanged}. ` +
            `Make the Glue job write each key once for ${date} (or add the columns that tell the rows apart to redshift.keyColumns), then run the date again.`,
          errorTypes.DuplicateKeys,
          { statementId, source: url, keyColumns: redshift.keyColumns, error },
        );
      }
      case load.ledgerCheckIndex: {
        const ledger = appendLedger(table);
        return ApplicationFailure.nonRetryable(
          `${pipelineName} already appended ${date}'s rows to ${table} (so says ${ledger}); an append loads a date once, so ${unchanged}. ` +
            `To run the steps after the load, rerun the date from the next step. To append ${date} again on purpose, delete the rows ` +
            `it appended and then its entry with DELETE FROM ${ledger} WHERE pipeline_name = '${pipelineName}' AND table_name = '${table}' ` +
            `AND load_date = '${date}', then run the date again.`,
          errorTypes.DateAlreadyAppended,
          { statementId, ledger, error },
        );
      }
      default:
        return undefined;
    }
  };
}
