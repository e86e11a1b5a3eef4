import { firstWord, runsOnItsOwn } from '../../shared/outsideTransaction';
import type { SqlStepResult } from '../../shared/stepResults';
import { sqlStep } from '../../workflows/waitingSteps';
import type { KindRun } from '../run';

export const sqlRun: KindRun<'sql'> = {
  summary: ({ statements, check }) =>
    runsOnItsOwn(statements)
      ? `run ${firstWord(statements[0])} on its own, outside a transaction`
      : `run ${statements.length} statement(s)${check ? ' and a data quality check' : ''} in one transaction`,
  run(step, context) {
    const { pipeline, date, showDetails } = context;
    return sqlStep({ pipeline, step, date }, this.summary(step, context), showDetails);
  },
  describe: describeSql,
};

export function describeSql(result: SqlStepResult): string {
  const check = result.checkRows !== undefined ? '; the check found no rows' : '';
  if (runsOnItsOwn(result.statements)) return `statement ${result.statementId}: ${firstWord(result.statements[0])} on its own`;
  return `statement ${result.statementId}: ${result.statements.length} statement(s) in one transaction${check}`;
}
