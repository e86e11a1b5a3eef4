import type { MiddlewareStack } from '@smithy/types';

/**
 * Sends a command at most once per activity attempt. For a call without an idempotency token (Glue
 * StartJobRun, SNS Publish), a 5xx or a dropped connection does not mean AWS did nothing: the SDK's retry
 * would start a second Glue run or publish a second alert. Without it, the error fails the attempt, and the
 * activity's retry is the only one: it adopts the Glue run by its run key, or publishes under the same
 * notification id. Idempotent calls keep the client's retries.
 *
 * A command's middleware stack is merged over its client's, so this pass-through entry replaces the client's
 * retry middleware for this command alone; the entry's name, step and priority are the SDK's own.
 */
// Any command: each has its own input and output types, and the entry added passes them through untouched.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withoutSdkRetry<Command extends { middlewareStack: MiddlewareStack<any, any> }>(command: Command): Command {
  command.middlewareStack.add((next) => next, { name: 'retryMiddleware', step: 'finalizeRequest', priority: 'high', override: true });
  return command;
}
