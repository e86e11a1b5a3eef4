import type { DateFilesInput } from '../../shared/activityInputs';
import type { FileValidation } from '../../shared/stepResults';
import { inputFolders, reportSuffix } from './dateFolders';
import type { DateEntry } from './delivery';
import type { ListedObject } from './rawListing';

/** However many files break the contract, the message names this many and counts the rest: it must fit an alert. */
const maxFilesNamed = 10;

/** Why the date cannot go on while files are rejected, which ones, and the two ways forward. */
export function invalidFilesMessage(input: DateFilesInput, checked: FileValidation[], rejected: DateEntry[]): string {
  const { pipelineName, date } = input;
  const { bucket } = input.s3;
  const folders = inputFolders(input);
  const url = (key: string) => `s3://${bucket}/${key}`;
  const rejectedNow = new Map(checked.filter((f) => f.outcome === 'invalid').map((f) => [f.movedTo, f]));
  const lines = rejected.slice(0, maxFilesNamed).map((entry) => {
    const file = rejectedNow.get(entry.key);
    const report = `report: ${url(`${entry.key}${reportSuffix}`)}`;
    return file ? `- ${entry.name}: ${file.firstError} (${file.errorCount} error(s) in all; ${report})` : `- ${entry.name}: rejected by an earlier run (${report})`;
  });
  if (rejected.length > maxFilesNamed) lines.push(`- … and ${rejected.length - maxFilesNamed} more in ${url(folders.errors)}`);
  const earlier = rejected.filter((entry) => !rejectedNow.has(entry.key)).length;
  const what =
    earlier === rejected.length
      ? `${rejected.length} file(s) of ${pipelineName} ${date} are still rejected`
      : `${rejected.length} file(s) of ${pipelineName} ${date} break the file contract` + (earlier ? ` (${earlier} of them rejected by an earlier run)` : '');
  return (
    `${what}; they are in ${url(folders.errors)}, each with a report:\n${lines.join('\n')}\n` +
    `The date is not loaded while any of its files is rejected. Land a fixed version under the same name in ${url(folders.raw)}, ` +
    `or drop a file for good with \`etl drop-file --pipeline ${pipelineName} --date ${date} --file <name>\`; then run the date again.`
  );
}

export function noFilesMessage(input: DateFilesInput, ignoredFiles: string[]): string {
  const { bucket } = input.s3;
  const folders = inputFolders(input);
  const raw = `s3://${bucket}/${folders.raw}`;
  const ignored = ignoredFiles.length
    ? ` (it holds only ${ignoredFiles.length} ignored object(s), such as ${ignoredFiles[0].slice(folders.raw.length)}: see s3.ignore)`
    : '';
  return (
    `No files for ${input.pipelineName} ${input.date}: ${raw} has no data files${ignored} and nothing was validated earlier under ` +
    `s3://${bucket}/${folders.validated}. Upload the date's files to ${raw} and run the date again.`
  );
}

export function filesLandedMessage(input: DateFilesInput, landed: ListedObject[]): string {
  const raw = `s3://${input.s3.bucket}/${inputFolders(input).raw}`;
  const names = landed
    .slice(0, maxFilesNamed)
    .map((object) => object.name)
    .join(', ');
  const more = landed.length > maxFilesNamed ? ` and ${landed.length - maxFilesNamed} more` : '';
  const redelivery =
    (input.s3.redelivery ?? 'replace') === 'replace'
      ? 'With s3.redelivery: replace they are a new delivery that supersedes the files validated earlier; if they add to them, set s3.redelivery: append first.'
      : 'With s3.redelivery: append they join the files validated earlier.';
  return (
    `${landed.length} file(s) landed in ${raw} after validation (${names}${more}): the Glue output does not include them, ` +
    `so nothing was loaded and Redshift keeps the date as it was. Run the date again to validate and load them. ${redelivery}`
  );
}

export function tooLargeMessage(input: DateFilesInput, tooLarge: ListedObject[]): string {
  const names = tooLarge
    .slice(0, maxFilesNamed)
    .map((object) => `s3://${input.s3.bucket}/${object.key} (${object.size} bytes)`)
    .join(', ');
  const more = tooLarge.length > maxFilesNamed ? ` and ${tooLarge.length - maxFilesNamed} more` : '';
  return (
    `${tooLarge.length} file(s) of ${input.pipelineName} are larger than s3.maxFileSize (${input.s3.maxFileSize}): ${names}${more}. ` +
    `Nothing was read. Split the export into smaller files, or raise s3.maxFileSize, then run the date again.`
  );
}
