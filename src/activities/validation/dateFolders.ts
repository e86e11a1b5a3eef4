import { archivePrefix, type PipelineConfig } from '../../config/schema';
import type { DateFilesInput } from '../../shared/activityInputs';

/**
 * A date's folders in the bucket. raw/ is where producers land files; validated/ holds the date's input (what
 * Glue reads); errors/ holds its rejected files, each with a report, which block the date until fixed or
 * dropped; archive/ keeps what is no longer part of the input, for audit: superseded deliveries, replaced
 * rejections, dropped files.
 */
export interface DateFolders {
  raw: string;
  validated: string;
  errors: string;
  /** What a run set aside: archive/<pipeline>/<date>/run-<runId>/{validated,errors}/... */
  setAsideBy(runId: string): string;
  /** Rejected files dropped by `etl drop-file`, each with its report and a record of the drop. */
  dropped: string;
}

export function dateFolders(pipeline: Pick<PipelineConfig, 'name'> & { s3: Pick<PipelineConfig['s3'], 'prefixes'> }, date: string): DateFolders {
  const { prefixes } = pipeline.s3;
  const archive = `${archivePrefix(pipeline)}${date}/`;
  return {
    raw: `${prefixes.raw}${date}/`,
    validated: `${prefixes.validated}${date}/`,
    errors: `${prefixes.errors}${date}/`,
    setAsideBy: (runId) => `${archive}run-${runId}/`,
    dropped: `${archive}dropped/`,
  };
}

/** The folders of the date an activity's input names. */
export function inputFolders({ pipelineName, s3, date }: DateFilesInput): DateFolders {
  return dateFolders({ name: pipelineName, s3 }, date);
}

/** The report written beside a rejected file. */
export const reportSuffix = '.report.json';
