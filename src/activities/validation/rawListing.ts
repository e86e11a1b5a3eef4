import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import picomatch from 'picomatch';
import { defaultIgnorePatterns } from '../../config/schema';
import type { DateFilesInput } from '../../shared/activityInputs';

/** An object found under a date's folder; `name` is its key below that folder. */
export interface ListedObject {
  key: string;
  name: string;
  size: number;
}

/** A date's raw folder as the run sees it: the data files to check, and the markers and junk it leaves alone. */
export interface RawListing {
  files: ListedObject[];
  ignored: ListedObject[];
}

export async function listFolder(s3: S3Client, bucket: string, folder: string): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: folder })) {
    for (const { Key: key, Size: size = 0 } of page.Contents ?? []) {
      if (key && !key.endsWith('/')) objects.push({ key, name: key.slice(folder.length), size });
    }
  }
  return objects;
}

/** Lists raw/<date>/, setting aside what the pipeline's `s3.ignore` patterns and `s3.ignoreEmptyFiles` name. */
export async function listRaw(s3: S3Client, { s3: settings }: DateFilesInput, folder: string): Promise<RawListing> {
  // `?? defaults`: a config snapshot recorded before these keys existed still validates the same way.
  const { ignore = defaultIgnorePatterns, ignoreEmptyFiles = true } = settings;
  // `basename`: "*.tmp" also matches "part/x.tmp"; `dot`: ".DS_Store"-style names are matched like any other.
  const isIgnored = ignore.length ? picomatch(ignore, { basename: true, dot: true }) : () => false;
  const listing: RawListing = { files: [], ignored: [] };
  for (const object of await listFolder(s3, settings.bucket, folder)) {
    const ignored = isIgnored(object.name) || (ignoreEmptyFiles && object.size === 0);
    (ignored ? listing.ignored : listing.files).push(object);
  }
  return listing;
}
