import type { SqlStepResult } from '../../shared/stepResults';
import { sqlStep } from '../../workflows/waitingSteps';
import type { KindRun } from '../run';

export const sqlRun: KindRun<'sql'> = {
  summary: (step) => `run ${step.statements.length} statement(s)${step.check ? ' and a data quality check' : ''} in one transaction`,
  run(step, context) {
    const { pipeline, date, showDetails } = context;
    return sqlStep({ pipeline, step, date }, this.summary(step, context), showDetails);
  },
  describe: describeSql,
};

export function describeSql(result: SqlStepResult): string {
  const check = result.checkRows !== undefined ? '; the check found no rows' : '';
  return `statement ${result.statementId}: ${result.statements.length} statement(s) in one transaction${check}`;
}
