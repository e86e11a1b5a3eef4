/**
 * The pipeline and date a workflow or activity input is about, for log fields and metric labels.
 * Inputs carry either the whole pipeline config or just its name; anything else yields no fields.
 */
export function runFields(input: unknown): { pipeline?: string; date?: string } {
  const { pipeline, date } = (input ?? {}) as { pipeline?: unknown; date?: unknown };
  const name = typeof pipeline === 'string' ? pipeline : (pipeline as { name?: unknown } | undefined)?.name;
  return {
    ...(typeof name === 'string' && { pipeline: name }),
    ...(typeof date === 'string' && { date }),
  };
}
