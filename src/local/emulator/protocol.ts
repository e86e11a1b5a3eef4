/** Wire details of the AWS JSON 1.1 protocol shared by the emulated services. */

/** An error the SDK turns into the exception class named by `type` (for example ConcurrentRunsExceededException). */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** Extra members of the exception shape, such as ResourceId. */
    readonly members: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** One emulated operation per name; each takes the parsed request body and returns the response body. */
export type Operations = Record<string, (input: never) => object | Promise<object>>;

/** Rejects a missing or empty required string member the way the service would. */
export function requireString(value: unknown, member: string, errorType: string): string {
  if (typeof value !== 'string' || value === '') throw new AwsError(errorType, `${member} is required and must be a non-empty string.`);
  return value;
}

/** Rejects a member that must be an object (a structure, in AWS's words) the way the service would. */
export function requireStructure(value: unknown, member: string, errorType: string): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AwsError(errorType, `${member} is required and must be a structure.`);
}

/** JSON with every Date as epoch seconds, the timestamp format AWS JSON 1.1 services send. */
export function toAwsJson(body: object): string {
  return JSON.stringify(body, function (this: Record<string, unknown>, key, value: unknown) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : value;
  });
}

/** The error body and header the SDK reads; `message` and `Message` both, as SDK exception classes expose `Message`. */
export function awsErrorBody(error: AwsError): object {
  return { __type: error.type, message: error.message, Message: error.message, ...error.members };
}
