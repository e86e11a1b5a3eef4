import type { FileCheckInput } from '../../shared/activityInputs';
import { boundedMap } from '../../shared/boundedMap';
import type { FileValidation } from '../../shared/stepResults';
import { heartbeat } from '../steadyHeartbeat';
import type { ValidationProgress } from './activity';
import type { DateFolders } from './dateFolders';
import type { FileCheck } from './fileCheck';
import type { ListedObject } from './rawListing';
import { nonRetryableS3Failure } from './s3Failures';

export interface FileChecks {
  input: FileCheckInput;
  folders: DateFolders;
  files: ListedObject[];
  runId: string;
  round: number;
  /** Files checked at once. */
  concurrency: number;
  /** Checks an earlier attempt heartbeated: their files are not checked again. */
  resumed?: FileValidation[];
  /** Heartbeat the checks done so far, so a retry resumes after them. */
  heartbeatChecks?: boolean;
}

/**
 * Checks the files, `concurrency` at once, heartbeating progress in files and bytes; results in the files' order,
 * without the files that left raw/ before they were read.
 */
export async function checkFiles(checkFile: FileCheck, { input, folders, files, runId, round, concurrency, resumed = [], heartbeatChecks }: FileChecks) {
  const earlier = new Map(resumed.map((check) => [check.key, check]));
  const bytesRead = new Map<string, number>();
  const done = new Map<string, FileValidation>();
  const state = { filesDone: 0, bytesDone: 0 };
  const bytesToCheck = files.reduce((sum, file) => sum + file.size, 0);
  const heartbeatProgress = (file: string, rows: number) => {
    const progress: ValidationProgress = {
      round,
      file,
      rows,
      filesDone: state.filesDone,
      filesToCheck: files.length,
      bytesDone: state.bytesDone,
      bytesToCheck,
      ...(heartbeatChecks && { checked: [...done.values()] }),
    };
    heartbeat(progress);
  };
  const checks = await boundedMap(files, concurrency, async (object) => {
    const before = earlier.get(object.key);
    let rows = before?.rows ?? 0;
    const check =
      before ??
      (await checkFile(input, folders, object, runId, (update) => {
        if (update.bytesRead !== undefined) {
          state.bytesDone += update.bytesRead - (bytesRead.get(object.key) ?? 0);
          bytesRead.set(object.key, update.bytesRead);
          return;
        }
        rows = update.rows ?? rows;
        heartbeatProgress(object.key, rows);
      }).catch((err: unknown) => {
        throw nonRetryableS3Failure(err, `reading or moving s3://${input.s3.bucket}/${object.key}`);
      }));
    if (check) done.set(object.key, check);
    state.filesDone += 1;
    state.bytesDone += object.size - (bytesRead.get(object.key) ?? 0);
    bytesRead.set(object.key, object.size);
    heartbeatProgress(object.key, rows);
    return check;
  });
  return checks.filter((check): check is FileValidation => check !== undefined);
}
