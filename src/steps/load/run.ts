import { patched } from '@temporalio/workflow';
import { dateFilesInput, loadInput } from '../../shared/activityInputs';
import type { LoadResult } from '../../shared/stepResults';
import { loadStep } from '../../workflows/waitingSteps';
import { activities } from '../../workflows/activityProxy';
import type { KindRun } from '../run';

export const loadRun: KindRun<'load'> = {
  summary: (step, { date }) => `replace ${step.table} rows for ${date} in one transaction, through a checked staging table`,
  async run(step, context, options) {
    const { pipeline, date, showDetails } = context;
    // Files landing after validation are not in the Glue output: loading it would call the date complete.
    if (patched('files-landed-before-load')) await activities(options).confirmNoFilesLanded(dateFilesInput(pipeline, date));
    // Runs that loaded in one long polling activity replay as they ran.
    return patched('load-waits-without-slot')
      ? loadStep({ pipeline, step, date }, this.summary(step, context), showDetails)
      : activities(options).loadToRedshift(loadInput(pipeline, step, date));
  },
  describe: describeLoad,
};

export function describeLoad(result: LoadResult): string {
  const deleted = result.rowsDeleted ? `, ${result.rowsDeleted} replaced` : '';
  const rows = result.rowsLoaded !== undefined ? `, ${result.rowsLoaded} row(s) loaded${deleted}` : '';
  return `statement ${result.statementId}: ${result.statements.length} statement(s) in one transaction${rows}`;
}
