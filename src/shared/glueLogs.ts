/**
 * Where Glue writes a job run's driver output: a log stream named by the JobRunId in each of these groups (a run
 * with a security configuration names its own prefix in JobRun.LogGroupName).
 */
export const glueLogGroupPrefix = '/aws-glue/jobs';

/** The driver's stdout, and its stderr: where a failed run's traceback is. */
export const glueLogGroups = { output: `${glueLogGroupPrefix}/output`, error: `${glueLogGroupPrefix}/error` } as const;
