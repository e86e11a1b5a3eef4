import { ConfigError, loadPipeline, type ConfigIssue } from '../../src/config';
import { glueRunSettings } from '../../src/shared/glueRunSettings';
import { stepsOfKind } from '../../src/shared/pipelineSteps';
import { configDirWith, edit, lineOf, sampleOrdersYaml } from './pipelineFiles';

/** The sample pipeline with `yaml` added to its glue step (indented as the step's keys), and `top` added at the top level. */
function withGlue(yaml: string, top = ''): string {
  return `${edit(sampleOrdersYaml, '    pollInterval: 30s\n', `    pollInterval: 30s\n${yaml}`)}${top}`;
}

function loadText(text: string) {
  const dir = configDirWith({ 'orders.yaml': text });
  return { load: () => loadPipeline('orders', dir) };
}

const flexBackfills = withGlue(
  '    workerType: G.2X\n    numberOfWorkers: 10\n    timeout: 120\n    forTrigger:\n      backfill: { executionClass: FLEX, numberOfWorkers: 4 }\n',
  'cost:\n  dpuHourPrice: { STANDARD: 0.48, FLEX: 0.32 }\n  currency: EUR\n',
);

test("Glue run settings, a backfill's override and the prices load as given, and each trigger's run gets its own", () => {
  const pipeline = loadText(flexBackfills).load();
  const { cost } = pipeline;
  const [glue] = stepsOfKind(pipeline, 'glue');

  expect(glue).toMatchObject({ workerType: 'G.2X', numberOfWorkers: 10, timeout: 120, forTrigger: { backfill: { executionClass: 'FLEX', numberOfWorkers: 4 } } });
  expect(cost).toEqual({ dpuHourPrice: { STANDARD: 0.48, FLEX: 0.32 }, currency: 'EUR' });
  expect(glueRunSettings(glue, 'backfill')).toEqual({ executionClass: 'FLEX', workerType: 'G.2X', numberOfWorkers: 4, timeout: 120 });
  expect(glueRunSettings(glue, 'schedule')).toEqual({ workerType: 'G.2X', numberOfWorkers: 10, timeout: 120 });
  expect(glueRunSettings(glue)).toEqual(glueRunSettings(glue, 'manual'));
});

test("without them, runs get none (the job definition's) and no cost key is added", () => {
  const pipeline = loadPipeline('orders');

  expect(glueRunSettings(stepsOfKind(pipeline, 'glue')[0], 'backfill')).toEqual({});
  expect(pipeline.cost).toBeUndefined();
});

test('one price may be given alone in USD; the other is the default', () => {
  expect(loadText(`${sampleOrdersYaml}cost: { dpuHourPrice: { FLEX: 0.25 } }\n`).load().cost).toEqual({ dpuHourPrice: { FLEX: 0.25 }, currency: 'USD' });
});

test.each([
  ['an unknown execution class', withGlue('    executionClass: SPOT\n'), 'executionClass: SPOT', 'steps[1].executionClass', 'must be one of "STANDARD", "FLEX"'],
  [
    'an unknown worker type',
    withGlue('    workerType: G.3X\n'),
    'workerType: G.3X',
    'steps[1].workerType',
    expect.stringMatching(/^must be one of "G\.025X", "G\.1X", "G\.2X", .*"Z\.2X", "Standard"$/),
  ],
  ['no workers', withGlue('    numberOfWorkers: 0\n'), 'numberOfWorkers: 0', 'steps[1].numberOfWorkers', 'must be at least 1'],
  ['a timeout written as a duration', withGlue('    timeout: 2h\n'), 'timeout: 2h', 'steps[1].timeout', "must be a number of minutes, such as 120 (Glue's Timeout)"],
  [
    'a timeout past 7 days',
    withGlue('    timeout: 10081\n'),
    'timeout: 10081',
    'steps[1].timeout',
    'must be at most 10080 minutes (7 days), the longest Glue lets a batch job run',
  ],
  [
    'an override for an unknown trigger',
    withGlue('    forTrigger:\n      backfil: { executionClass: FLEX }\n'),
    'backfil:',
    'steps[1].forTrigger.backfil',
    'unknown key (expected one of: schedule, manual, backfill)',
  ],
  [
    'an override of a key that is not a run setting',
    withGlue('    forTrigger:\n      backfill: { jobName: other }\n'),
    'backfill: { jobName',
    'steps[1].forTrigger.backfill.jobName',
    'unknown key (expected one of: executionClass, workerType, numberOfWorkers, timeout)',
  ],
  ['a negative price', `${sampleOrdersYaml}cost: { dpuHourPrice: { FLEX: -1 } }\n`, 'cost:', 'cost.dpuHourPrice.FLEX', 'must be a price of 0 or more'],
  ['a currency that is not a code', `${sampleOrdersYaml}cost: { currency: euro }\n`, 'cost:', 'cost.currency', 'must be a currency code such as "USD" or "EUR"'],
  [
    'another currency with a default price',
    `${sampleOrdersYaml}cost: { currency: EUR, dpuHourPrice: { STANDARD: 0.48 } }\n`,
    'cost:',
    'cost.dpuHourPrice',
    "give the FLEX price in EUR too: the default is AWS's list price in USD",
  ],
])('%s is refused with one line naming it', (_kind, text, at, key, problem) => {
  expect(issuesOf(loadText(text).load)).toEqual([{ line: lineOf(text, at), key, problem }]);
});

/** What the load was refused for; undefined if it loaded. */
function issuesOf(load: () => unknown): readonly ConfigIssue[] | undefined {
  try {
    load();
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues;
  }
}
