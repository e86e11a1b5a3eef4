import { createActivities, type ActivityDeps } from '../../src/activities';
import { pipelineSchema } from '../../src/config/schema';
import { stepKinds, steps } from '../../src/shared/steps';

// The step registry is what config, workflow, retry policies and printers read: it must name what exists.

test('the steps run in the documented order', () => {
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

test('a pipeline config can override each step, and only those', () => {
  expect(Object.keys(pipelineSchema.in.shape.steps.unwrap().shape)).toEqual(stepKinds);
});
