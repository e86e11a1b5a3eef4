import { patched } from '@temporalio/workflow';
import { refreshInput } from '../../shared/activityInputs';
import type { RefreshResult } from '../../shared/stepResults';
import { refreshStep } from '../../workflows/waitingSteps';
import { activities } from '../../workflows/activityProxy';
import type { KindRun } from '../run';

export const refreshRun: KindRun<'refresh'> = {
  summary: (step) => `refresh ${step.views.length} materialized view(s)`,
  run(step, context, options) {
    const { pipeline, date, showDetails } = context;
    // Runs that refreshed in one long polling activity replay as they ran.
    return patched('refresh-waits-without-slot')
      ? refreshStep({ pipeline, step, date }, this.summary(step, context), showDetails)
      : activities(options).refreshViews(refreshInput(pipeline, step.views, date));
  },
  describe: describeRefresh,
};

export function describeRefresh(result: RefreshResult): string {
  return result.viewsRefreshed.length ? `refreshed ${result.viewsRefreshed.join(', ')}` : 'no views configured';
}
