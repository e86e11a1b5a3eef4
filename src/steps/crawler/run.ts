import type { CrawlerResult } from '../../shared/stepResults';
import { crawlerStep } from '../../workflows/waitingSteps';
import type { KindRun } from '../run';

export const crawlerRun: KindRun<'crawler'> = {
  summary: (step) => `run Glue crawler ${step.name}`,
  run(step, context) {
    const { pipeline, date, showDetails } = context;
    return crawlerStep({ pipeline, step, date }, this.summary(step, context), showDetails);
  },
  describe: describeCrawler,
};

export function describeCrawler(result: CrawlerResult): string {
  const how = result.adopted ? 'adopted the running crawl of' : 'crawled with';
  const time = result.durationSeconds !== undefined ? ` in ${result.durationSeconds}s` : '';
  const tables = result.tablesCreated !== undefined ? `: ${result.tablesCreated} table(s) created, ${result.tablesUpdated ?? 0} updated` : '';
  return `${how} ${result.crawlerName}${time}${tables}`;
}
