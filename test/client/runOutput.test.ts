import { stepLine } from '../../src/client/commands/run/output';
import type { StepProgress } from '../../src/shared/pipelineRun';

// `etl run --wait` prints a line per finished step: its statuses line up whatever the steps' titles.

const steps: StepProgress[] = [
  { step: 'validate', kind: 'validate', title: 'Validate files', status: 'succeeded', detail: '2 file(s) valid' },
  { step: 'enrich', kind: 'glue', title: 'Run Glue job (enrich)', status: 'succeeded' },
  { step: 'load', kind: 'load', title: 'Load to Redshift', status: 'failed', detail: 'COPY failed' },
];

test("each step's status starts in the same column, past the longest title", () => {
  const lines = steps.map((step) => stepLine(step, steps));

  expect(lines).toEqual([
    '  ✔ Validate files        succeeded: 2 file(s) valid',
    '  ✔ Run Glue job (enrich) succeeded',
    '  ✘ Load to Redshift      failed: COPY failed',
  ]);
});

test('short titles keep the usual width', () => {
  const [validate] = steps;

  expect(stepLine(validate, [validate])).toBe('  ✔ Validate files     succeeded: 2 file(s) valid');
});
