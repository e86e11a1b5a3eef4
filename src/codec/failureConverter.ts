import { DefaultFailureConverter } from '@temporalio/common';

/**
 * With payload encryption on, a failure's message and stack trace travel as a payload, so the codec encrypts
 * them too (they carry CSV values and Redshift errors). Loaded by path: the workflow sandbox builds its own copy.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
