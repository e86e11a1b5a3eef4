import type { S3Client } from '@aws-sdk/client-s3';
import { reportSuffix, type DateFolders } from './dateFolders';
import { listFolder } from './rawListing';
import type { CopyLimits } from './multipartCopy';
import { moveOwned, readStamp, type CheckStamp } from './s3Moves';

/** A file of the date's input (validated/) or one that blocks it (errors/), with the stamp of its check. */
export interface DateEntry {
  name: string;
  key: string;
  /** Absent for files moved before stamps existed: they count as the oldest. */
  stamp?: CheckStamp;
}

/** What validated/ and errors/ hold for a date. */
export interface DateState {
  validated: DateEntry[];
  rejected: DateEntry[];
  /** Reports whose rejected file is gone (it was replaced while being moved). */
  strayReports: string[];
}

export async function readDateState(s3: S3Client, bucket: string, folders: DateFolders): Promise<DateState> {
  const withStamps = (objects: { key: string; name: string }[]) =>
    Promise.all(objects.map(async ({ key, name }) => ({ key, name, stamp: await readStamp(s3, bucket, key) })));
  const errors = await listFolder(s3, bucket, folders.errors);
  const rejectedNames = new Set(errors.filter((o) => !o.name.endsWith(reportSuffix)).map((o) => o.name));
  return {
    validated: await withStamps(await listFolder(s3, bucket, folders.validated)),
    rejected: await withStamps(errors.filter((o) => rejectedNames.has(o.name))),
    strayReports: errors.filter((o) => o.name.endsWith(reportSuffix) && !rejectedNames.has(o.name.slice(0, -reportSuffix.length))).map((o) => o.key),
  };
}

/**
 * In `replace` mode, files landing for a date start a new delivery that supersedes the earlier one, unless
 * every one of them is named like a file an earlier run rejected: then they are its fixes and complete it.
 * Returns the keys set aside. Safe to repeat: this run's own files are never set aside here.
 */
export async function supersedeEarlierDelivery(
  s3: S3Client,
  bucket: string,
  folders: DateFolders,
  landedNames: string[],
  runId: string,
  limits?: CopyLimits,
): Promise<string[]> {
  const state = await readDateState(s3, bucket, folders);
  const earlier = (entry: DateEntry) => entry.stamp?.runId !== runId;
  const earlierRejected = new Set(state.rejected.filter(earlier).map((entry) => entry.name));
  if (landedNames.every((name) => earlierRejected.has(name))) return [];
  const superseded = [...state.validated.filter(earlier), ...state.rejected.filter(earlier)];
  return setAside(s3, bucket, folders, runId, [...superseded.flatMap(withReport(folders)), ...state.strayReports], limits);
}

/**
 * Where a name is both in validated/ and in errors/, the newer check wins and the older one is set aside (a
 * fixed file replaces its rejection, a broken re-upload its valid predecessor). Returns the keys set aside and
 * what the date holds after it.
 */
export async function keepNewestChecks(
  s3: S3Client,
  bucket: string,
  folders: DateFolders,
  runId: string,
  limits?: CopyLimits,
): Promise<{ setAside: string[]; state: DateState }> {
  const state = await readDateState(s3, bucket, folders);
  const checkedAt = (entry: DateEntry) => entry.stamp?.checkedAt ?? 0;
  const validated = new Map(state.validated.map((entry) => [entry.name, entry]));
  const older = new Set<DateEntry>();
  for (const rejection of state.rejected) {
    const valid = validated.get(rejection.name);
    if (valid) older.add(checkedAt(valid) > checkedAt(rejection) ? rejection : valid);
  }
  const setAsideKeys = await setAside(s3, bucket, folders, runId, [...[...older].flatMap(withReport(folders)), ...state.strayReports], limits);
  const kept = (entry: DateEntry) => !older.has(entry);
  return { setAside: setAsideKeys, state: { validated: state.validated.filter(kept), rejected: state.rejected.filter(kept), strayReports: [] } };
}

/** A rejected file travels with its report. */
function withReport(folders: DateFolders) {
  return (entry: DateEntry) => (entry.key.startsWith(folders.errors) ? [entry.key, `${entry.key}${reportSuffix}`] : [entry.key]);
}

/** Moves the keys under the run's archive folder, keeping their place: validated/x -> run-<id>/validated/x. */
async function setAside(s3: S3Client, bucket: string, folders: DateFolders, runId: string, keys: string[], limits?: CopyLimits): Promise<string[]> {
  const archive = folders.setAsideBy(runId);
  const moved: string[] = [];
  for (const key of keys) {
    const place = key.startsWith(folders.errors) ? `errors/${key.slice(folders.errors.length)}` : `validated/${key.slice(folders.validated.length)}`;
    if (await moveOwned(s3, bucket, key, `${archive}${place}`, limits)) moved.push(key);
  }
  return moved;
}
