import { createActivities, type ActivityDeps } from '../../src/activities';
import { stepSchemas } from '../../src/steps/settings';
import { stepKinds, steps, type StepKind } from '../../src/steps/registry';
import { stepRuns } from '../../src/steps/runs';

// The step registry is what config, workflow, retry policies and printers read: it must name what exists.

test('every kind is defined, has settings and runs: the registry, the settings and the runs name the same kinds', () => {
  expect(stepKinds).toEqual(['validate', 'glue', 'load', 'sql', 'crawler', 'partitions', 'refresh', 'notify']);
  expect(Object.keys(stepSchemas)).toEqual(stepKinds);
  expect(Object.keys(stepRuns)).toEqual(stepKinds);
  expect(new Set(stepKinds.map((kind) => steps[kind].title)).size).toBe(stepKinds.length);
  expect(['validate', 'glue', 'load', 'refresh', 'notify'].map((kind) => steps[kind as StepKind].title)).toEqual([
    'Validate files',
    'Run Glue job',
    'Load to Redshift',
    'Refresh views',
    'Send notification',
  ]);
});

test('every activity a step names, today or in runs recorded earlier, is one the worker registers', () => {
  // The factories only keep the clients; nothing is called.
  const registered = Object.keys(createActivities({} as ActivityDeps));
  for (const step of stepKinds) {
    const definition = steps[step];
    const named = [...definition.activities, ...('earlierActivity' in definition ? [definition.earlierActivity] : [])];
    expect({ step, missing: named.filter((activity) => !registered.includes(activity)) }).toEqual({ step, missing: [] });
  }
});
