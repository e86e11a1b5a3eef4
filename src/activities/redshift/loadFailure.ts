import { ApplicationFailure } from '@temporalio/common';
import type { RedshiftTarget } from '../../shared/activityInputs';
import { errorTypes } from '../../shared/errorTypes';
import { copySource } from './copySource';
import type { LoadStatements } from './sql';
import type { FailedStatement } from './statements';

/**
 * The load's date check fails when the COPY source holds rows of another date (or none): said as what
 * it means, since Redshift only reports a division by zero. Other failures keep Redshift's own text.
 */
export function explainLoadFailure(
  redshift: RedshiftTarget,
  date: string,
  load: LoadStatements,
): (failed: FailedStatement) => ApplicationFailure | undefined {
  return ({ statementId, index, error }) => {
    if (index !== load.dateCheckIndex) return undefined;
    const { url } = copySource(redshift, date);
    return ApplicationFailure.nonRetryable(
      `Some rows of the COPY source ${url} have no ${redshift.dateColumn} or one other than ${date}; ` +
        `nothing was loaded and ${redshift.table} keeps the rows it had for ${date}. ` +
        `Check the Glue job's output: it must write only ${date}'s rows under that folder.`,
      errorTypes.RowsOfAnotherDate,
      { statementId, source: url, dateColumn: redshift.dateColumn, error },
    );
  };
}
