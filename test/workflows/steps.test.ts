import { createActivities, type ActivityDeps } from '../../src/activities';
import { stepSchemas } from '../../src/config/schema';
import { stepKinds, steps } from '../../src/shared/steps';

// The step registry is what config, workflow, retry policies and printers read: it must name what exists.

test('the step kinds are listed in the documented order', () => {
  expect(stepKinds).toEqual(['validate', 'glue', 'load', 'refresh', 'notify']);
  expect(stepKinds.map((step) => steps[step].title)).toEqual(['Validate files', 'Run Glue job', 'Load to Redshift', 'Refresh views', 'Send notification']);
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

test('a pipeline config can list a step of each kind, and only those', () => {
  expect(Object.keys(stepSchemas)).toEqual(stepKinds);
});
