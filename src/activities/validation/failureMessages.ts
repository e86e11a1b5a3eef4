import type { PipelineConfig } from '../../config/schema';
import type { FileValidation } from './activity';
import { dateFolders, reportSuffix } from './dateFolders';
import type { DateEntry } from './delivery';

/** However many files break the contract, the message names this many and counts the rest: it must fit an alert. */
const maxFilesNamed = 10;

/** Why the date cannot go on while files are rejected, which ones, and the two ways forward. */
export function invalidFilesMessage(pipeline: PipelineConfig, date: string, checked: FileValidation[], rejected: DateEntry[]): string {
  const { bucket } = pipeline.s3;
  const folders = dateFolders(pipeline, date);
  const url = (key: string) => `s3://${bucket}/${key}`;
  const rejectedNow = new Map(checked.filter((f) => f.outcome === 'invalid').map((f) => [f.movedTo, f]));
  const lines = rejected.slice(0, maxFilesNamed).map((entry) => {
    const file = rejectedNow.get(entry.key);
    const report = `report: ${url(`${entry.key}${reportSuffix}`)}`;
    return file
      ? `- ${entry.name}: ${file.firstError} (${file.errorCount} error(s) in all; ${report})`
      : `- ${entry.name}: rejected by an earlier run (${report})`;
  });
  if (rejected.length > maxFilesNamed) lines.push(`- … and ${rejected.length - maxFilesNamed} more in ${url(folders.errors)}`);
  const earlier = rejected.filter((entry) => !rejectedNow.has(entry.key)).length;
  const what =
    earlier === rejected.length ? `${rejected.length} file(s) of ${pipeline.name} ${date} are still rejected`
    : `${rejected.length} file(s) of ${pipeline.name} ${date} break the file contract` + (earlier ? ` (${earlier} of them rejected by an earlier run)` : '');
  return (
    `${what}; they are in ${url(folders.errors)}, each with a report:\n${lines.join('\n')}\n` +
    `The date is not loaded while any of its files is rejected. Land a fixed version under the same name in ${url(folders.raw)}, ` +
    `or drop a file for good with \`etl drop-file --pipeline ${pipeline.name} --date ${date} --file <name>\`; then run the date again.`
  );
}

export function noFilesMessage(pipeline: PipelineConfig, date: string, ignoredFiles: string[]): string {
  const { bucket } = pipeline.s3;
  const folders = dateFolders(pipeline, date);
  const raw = `s3://${bucket}/${folders.raw}`;
  const ignored = ignoredFiles.length
    ? ` (it holds only ${ignoredFiles.length} ignored object(s), such as ${ignoredFiles[0].slice(folders.raw.length)}: see s3.ignore)`
    : '';
  return (
    `No files for ${pipeline.name} ${date}: ${raw} has no data files${ignored} and nothing was validated earlier under ` +
    `s3://${bucket}/${folders.validated}. Upload the date's files to ${raw} and run the date again.`
  );
}
