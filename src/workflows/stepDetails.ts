import { formatCost } from '../shared/glueCost';
import type { CrawlerResult, GlueRunResult, LoadResult, PartitionResult, RefreshResult, SqlStepResult, ValidationResult } from '../shared/stepResults';

/** One line per step for progress, the CLI and notifications. */

export function describeValidation(result: ValidationResult): string {
  const notes = [
    result.previouslyValidatedFiles && `+${result.previouslyValidatedFiles} validated earlier`,
    result.ignoredFiles?.length && `${result.ignoredFiles.length} ignored`,
    result.setAsideFiles?.length && `${result.setAsideFiles.length} set aside in the archive`,
  ].filter(Boolean);
  const checked = result.files.filter((file) => file.outcome !== 'changed').length;
  return `${checked} file(s), ${result.rowsValidated} row(s) validated${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** A validate step's progress in files and bytes, across its rounds so far. */
export interface ValidationCount {
  filesDone: number;
  filesToCheck: number;
  bytesDone: number;
  bytesToCheck: number;
}

export function describeValidationProgress({ filesDone, filesToCheck, bytesDone, bytesToCheck }: ValidationCount): string {
  const [unit, scale] = byteUnits.find(([, size]) => bytesToCheck >= size) ?? ['B', 1];
  const bytes = (n: number) => (scale === 1 ? String(n) : (n / scale).toFixed(1));
  return `${filesDone} of ${filesToCheck} files, ${bytes(bytesDone)} of ${bytes(bytesToCheck)} ${unit} checked`;
}

const byteUnits: [string, number][] = [
  ['TB', 1e12],
  ['GB', 1e9],
  ['MB', 1e6],
  ['kB', 1e3],
];

export function describeGlue(result: GlueRunResult): string {
  const how = result.adopted ? 'adopted run' : 'run';
  const time = result.executionTimeSeconds !== undefined ? ` in ${result.executionTimeSeconds}s` : '';
  const capacity = [result.executionClass, result.workerType && result.numberOfWorkers && `${result.numberOfWorkers} × ${result.workerType}`].filter(Boolean);
  const on = capacity.length ? ` (${capacity.join(', ')})` : '';
  const dpu = result.dpuSeconds !== undefined ? `, ${Math.round(result.dpuSeconds)} DPU-seconds` : '';
  const cost = result.estimatedCost ? `, est. ${formatCost(result.estimatedCost)}` : '';
  const cleared = result.previousOutput?.objects ? `; ${result.previousOutput.objects} earlier output object(s) ${result.previousOutput.action}` : '';
  return `${how} ${result.jobRunId} ${result.state}${time}${on}${dpu}${cost}${cleared}`;
}

export function describeLoad(result: LoadResult): string {
  const deleted = result.rowsDeleted ? `, ${result.rowsDeleted} replaced` : '';
  const rows = result.rowsLoaded !== undefined ? `, ${result.rowsLoaded} row(s) loaded${deleted}` : '';
  return `statement ${result.statementId}: ${result.statements.length} statement(s) in one transaction${rows}`;
}

export function describeRefresh(result: RefreshResult): string {
  return result.viewsRefreshed.length ? `refreshed ${result.viewsRefreshed.join(', ')}` : 'no views configured';
}

export function describeSql(result: SqlStepResult): string {
  const check = result.checkRows !== undefined ? '; the check found no rows' : '';
  return `statement ${result.statementId}: ${result.statements.length} statement(s) in one transaction${check}`;
}

export function describeCrawler(result: CrawlerResult): string {
  const how = result.adopted ? 'adopted the running crawl of' : 'crawled with';
  const time = result.durationSeconds !== undefined ? ` in ${result.durationSeconds}s` : '';
  const tables = result.tablesCreated !== undefined ? `: ${result.tablesCreated} table(s) created, ${result.tablesUpdated ?? 0} updated` : '';
  return `${how} ${result.crawlerName}${time}${tables}`;
}

export function describePartition(result: PartitionResult): string {
  return `partition (${result.values.join(', ')}) of ${result.database}.${result.table} ${result.action}: ${result.location}`;
}
