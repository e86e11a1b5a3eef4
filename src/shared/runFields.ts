/**
 * The pipeline and date a workflow or activity input is about, for log fields and metric labels. Inputs name
 * the pipeline by `pipelineName`, or carry its whole config (the workflow's input, activities scheduled by
 * older code) or its name as `pipeline`; anything else yields no fields.
 */
export function runFields(input: unknown): { pipeline?: string; date?: string } {
  const { pipelineName, pipeline, date } = (input ?? {}) as { pipelineName?: unknown; pipeline?: unknown; date?: unknown };
  const name = pipelineName ?? (typeof pipeline === 'string' ? pipeline : (pipeline as { name?: unknown } | undefined)?.name);
  return {
    ...(typeof name === 'string' && { pipeline: name }),
    ...(typeof date === 'string' && { date }),
  };
}
