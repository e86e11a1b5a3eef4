import { patched } from '@temporalio/workflow';
import { fileCheckInput } from '../../shared/activityInputs';
import type { ValidationResult } from '../../shared/stepResults';
import { validateStep } from '../../workflows/validateStep';
import { activities } from '../../workflows/activityProxy';
import type { KindRun } from '../run';

export const validateRun: KindRun<'validate'> = {
  summary: (_step, { pipeline, date }) => `check s3://${pipeline.s3.bucket}/${pipeline.s3.prefixes.raw}${date}/ against the file contract`,
  // Runs that validated a date in one activity before the step fanned out over workers replay as they ran.
  run: (step, { pipeline, date, showDetails }, options) =>
    patched('validate-fans-out') ? validateStep(pipeline, step, date, showDetails) : activities(options).validateFiles(fileCheckInput(pipeline, step, date)),
  describe: describeValidation,
};

export function describeValidation(result: ValidationResult): string {
  const notes = [
    result.previouslyValidatedFiles && `+${result.previouslyValidatedFiles} validated earlier`,
    result.ignoredFiles?.length && `${result.ignoredFiles.length} ignored`,
    result.setAsideFiles?.length && `${result.setAsideFiles.length} set aside in the archive`,
  ].filter(Boolean);
  const checked = result.files.filter((file) => file.outcome !== 'changed').length;
  return `${checked} file(s), ${result.rowsValidated} row(s) validated${notes.length ? ` (${notes.join('; ')})` : ''}`;
}
