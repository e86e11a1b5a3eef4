import type { PipelineConfig, StepOf } from '../config/schema';
import { validateBatch } from '../config/sizes';
import { batchLimits, dateFilesInput, fileCheckInput } from '../shared/activityInputs';
import { boundedMap } from '../shared/boundedMap';
import type { FileValidation, ValidationResult } from '../shared/stepResults';
import { activities } from './activityProxy';
import { stepOptions, validateBatchOptions } from './stepOptions';

// The validate step fanned out over the task queue's workers: each round lists raw/ again and cuts its files
// into batches, a few batches are checked at once, each an activity of its own that any worker may take, and
// once raw/ holds nothing more to check the date's outcome is settled.

export async function validateStep(
  pipeline: PipelineConfig,
  step: StepOf<'validate'>,
  date: string,
  showDetails: (what: string) => void,
): Promise<ValidationResult> {
  const dateFiles = dateFilesInput(pipeline, date);
  const fileChecks = fileCheckInput(pipeline, step, date);
  const limits = batchLimits(step);
  const raw = `s3://${pipeline.s3.bucket}/${pipeline.s3.prefixes.raw}${date}/`;
  const { atOnce } = validateBatch(step);
  const files: FileValidation[] = [];
  const setAsideFiles: string[] = [];
  let ignoredFiles: string[];
  const count: ValidationCount = { filesDone: 0, filesToCheck: 0, bytesDone: 0, bytesToCheck: 0 };

  for (let round = 1; ; round++) {
    const plan = await activities(stepOptions(step, `round ${round}: list ${raw} and ready its files`)).planValidationRound({
      ...dateFiles,
      round,
      batch: limits,
    });
    ignoredFiles = plan.ignoredFiles;
    setAsideFiles.push(...plan.setAsideFiles);
    if (plan.batches.length === 0) break;
    for (const batch of plan.batches) {
      count.filesToCheck += batch.length;
      count.bytesToCheck += bytesOf(batch);
    }
    showDetails(describeValidationProgress(count));
    const checks = await boundedMap(plan.batches, atOnce, async (batch, index) => {
      const summary = `round ${round}, batch ${index + 1} of ${plan.batches.length}: check ${batch.length} file(s) of ${raw} against the file contract`;
      const checked = await activities(validateBatchOptions(step, summary)).validateFileBatch({ ...fileChecks, round, files: batch });
      count.filesDone += batch.length;
      count.bytesDone += bytesOf(batch);
      showDetails(describeValidationProgress(count));
      return checked;
    });
    files.push(...checks.flat());
  }
  return activities(stepOptions(step, `settle ${raw}: keep the newest check of each file`)).finishValidation({
    ...dateFiles,
    files,
    setAsideFiles,
    ignoredFiles,
  });
}

const bytesOf = (batch: { size: number }[]) => batch.reduce((sum, file) => sum + file.size, 0);

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
