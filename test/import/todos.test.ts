import { lineOf } from '../config/pipelineFiles';
import { chain, glueTask, imported, publish } from './importing';

const succeed = { Type: 'Succeed' };

describe('states no step kind stands for become TODO steps at their line', () => {
  test.each([
    [
      'Choice',
      { Type: 'Choice', Choices: [{ Variable: '$.full', BooleanEquals: true, Next: 'Done' }], Default: 'Done' },
      'a Choice (its rules go to Done; the import followed its Default (Done))',
    ],
    ['Parallel', { Type: 'Parallel', Branches: [chain({ A: glueTask('a') }), chain({ B: glueTask('b') })] }, 'a Parallel of 2 branch(es)'],
    ['Map', { Type: 'Map', ItemsPath: '$.tables', Iterator: chain({ Each: glueTask('each') }) }, 'a Map over the items of its input'],
    ['Wait', { Type: 'Wait', Seconds: 300 }, 'a Wait: each step waits for its own work to finish'],
    ['Pass with a Result', { Type: 'Pass', Result: { tables: ['a'] }, ResultPath: '$.config' }, 'a Pass that sets Result, ResultPath'],
  ])('%s', (_type, state, reason) => {
    const definition = chain({ Transform: glueTask('job'), Odd: state, Done: publish('ok') });
    const { steps, stepTodos, json, text } = imported(definition);
    const line = lineOf(json, '"Odd": {');
    expect(steps.map((step) => step.kind)).toEqual(['glue', 'todo', 'notify']);
    expect(steps[1]).toEqual({ kind: 'todo', state: 'Odd', line, reason: expect.stringContaining(reason) });
    expect(stepTodos).toEqual([{ state: 'Odd', line, key: 'steps[1]', reason: steps[1].reason }]);
    expect(text).toContain(`# from state "Odd" (line ${line})`);
    expect(text).toContain(`#   TODO(import): ${reason}`);
  });
});

test('a Choice without a Default ends the walk there', () => {
  const definition = {
    StartAt: 'Transform',
    States: {
      Transform: { ...glueTask('job'), Next: 'Check' },
      Check: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Done' }] },
      Done: { ...publish('ok'), End: true },
    },
  };
  const { steps } = imported(definition);
  expect(steps.map((step) => step.kind)).toEqual(['glue', 'todo', 'notify']);
  expect(steps[1].reason).toContain('it has no Default, so the import stops here');
});

test('states reached only through a Choice rule are named at the top', () => {
  const definition = {
    StartAt: 'Check',
    States: {
      Check: { Type: 'Choice', Choices: [{ Variable: '$.full', BooleanEquals: true, Next: 'FullLoad' }], Default: 'Transform' },
      FullLoad: { ...glueTask('full'), End: true },
      Transform: { ...glueTask('job'), End: true },
    },
  };
  const { steps, text } = imported(definition);
  expect(steps.map((step) => step.kind)).toEqual(['todo', 'glue', 'notify']);
  expect(text).toContain('# Not imported, reached only through a Choice rule or not at all: FullLoad.');
});

test('a Pass that changes nothing and a Succeed are left out, and said so at the top', () => {
  const { steps, stepTodos, text } = imported(chain({ Begin: { Type: 'Pass' }, Transform: glueTask('job'), Done: publish('ok'), End: succeed }));
  expect(steps.map((step) => step.kind)).toEqual(['glue', 'notify']);
  expect(stepTodos).toEqual([]);
  expect(text).toContain('# Left out: Begin (a Pass that changes nothing); End (Succeed): a run ends with its last step.');
});

test('the file opens with how many TODOs it holds, and each is a comment above its key', () => {
  const { text, todos } = imported(chain({ Transform: glueTask('job', { '--source.$': '$.source' }), Pause: { Type: 'Wait', Seconds: 1 } }));
  expect(text.split('\n')[0]).toBe(`# TODO(import): ${todos.length} thing(s) to resolve, each marked TODO(import); the file is refused until they are.`);
  expect(text).toMatch(/# TODO\(import\): argument --source is \$\.source at run time[^\n]*\n\s+--source: "\{\{TODO: \$\.source\}\}"/);
  expect(text).toMatch(/# TODO\(import\): the topic a successful run notifies[^\n]*\n\s+successTopicArn: "TODO: the topic a successful run notifies"/);
});

test('a kind that repeats gets ids from the state names', () => {
  const { steps } = imported(chain({ TransformOrders: glueTask('orders'), Transform_Customers: glueTask('customers'), Done: publish('ok') }));
  expect(steps.map((step) => step.id)).toEqual(['transform-orders', 'transform-customers', undefined]);
});
