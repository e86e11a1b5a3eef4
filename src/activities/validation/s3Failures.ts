import { S3ServiceException } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import { errorTypes } from '../../shared/errorTypes';

/** S3 answers that the same request cannot change on a retry: someone has to grant access or fix the bucket. */
const refusals: Record<string, { type: string; next: string }> = {
  AccessDenied: {
    type: errorTypes.S3AccessDenied,
    next: "grant the worker's role s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on the pipeline's prefixes (and kms:Decrypt for an encrypted bucket), then run the date again",
  },
  NoSuchBucket: { type: errorTypes.S3BucketNotFound, next: "check s3.bucket in the pipeline's config and the worker's region, then run the date again" },
};

/** The error as a non-retryable failure when S3 refused for good, else the error itself (S3 hiccups are retried). */
export function nonRetryableS3Failure(err: unknown, doing: string): unknown {
  const refusal = err instanceof S3ServiceException ? refusals[err.name] : undefined;
  if (!refusal) return err;
  return ApplicationFailure.nonRetryable(`S3 refused ${doing}: ${(err as Error).name}: ${(err as Error).message}; ${refusal.next}.`, refusal.type);
}
