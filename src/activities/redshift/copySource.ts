import { ApplicationFailure } from '@temporalio/common';
import type { RedshiftTarget } from '../../shared/activityInputs';
import { renderTemplate } from '../../shared/dates';
import { errorTypes } from '../../shared/errorTypes';

/** The folder COPY reads for a date: what the Glue job writes and what is cleared before a new Glue run. */
export interface CopySource {
  /** The rendered COPY source (a load step's `copy.source`, or a Glue step's `output`), such as s3://etl-data-lake/processed/orders/order_date=2024-01-15/. */
  url: string;
  bucket: string;
  /** The key prefix inside the bucket, ending in "/". */
  prefix: string;
}

export function copySource(redshift: { copy: Pick<RedshiftTarget['copy'], 'source'> }, date: string): CopySource {
  const url = renderTemplate(redshift.copy.source, { date });
  const match = /^s3:\/\/([^/]+)\/(.+\/)$/.exec(url);
  // The schema enforces a folder; a config recorded before it did may still hold a bare prefix, which would
  // also match neighbours such as order_date=2024-01-15_old/, or a whole bucket.
  if (!match) {
    throw ApplicationFailure.nonRetryable(
      `The COPY source ${url} is not a folder inside a bucket: end it with "/" below the bucket ` +
        `(such as s3://bucket/processed/orders/order_date={{date}}/) and run the date again`,
      errorTypes.InvalidCopySource,
    );
  }
  return { url, bucket: match[1], prefix: match[2] };
}
