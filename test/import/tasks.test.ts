import { lineOf } from '../config/pipelineFiles';
import { chain, glueTask, imported, lambdaTask, publish } from './importing';

describe('glue:startJobRun', () => {
  test('becomes a glue step with its job and the date argument as {{date}}', () => {
    const { steps, stepTodos } = imported(chain({ Transform: glueTask('transform-orders', { '--execution_date.$': '$.execution_date', '--mode': 'full' }) }));
    expect(steps[0]).toEqual({ kind: 'glue', jobName: 'transform-orders', arguments: { '--execution_date': '{{date}}', '--mode': 'full' } });
    expect(stepTodos).toEqual([]);
  });

  test.each(['arn:aws:states:::glue:startJobRun', 'arn:aws:states:::aws-sdk:glue:startJobRun'])(
    'without .sync (%s) it becomes the same step, with a note that the step waits',
    (Resource) => {
      const { steps, text } = imported(chain({ Transform: { ...glueTask('job'), Resource } }));
      expect(steps[0]).toMatchObject({ kind: 'glue', jobName: 'job' });
      expect(text).toContain('started the job without waiting (no .sync); the step waits for the run to finish');
    },
  );

  test('an argument from another input field is a TODO the loader refuses as an unknown placeholder', () => {
    const { steps, stepTodos, text, json } = imported(chain({ Transform: glueTask('job', { '--source.$': '$.source_path' }) }));
    expect((steps[0].arguments as Record<string, string>)['--source']).toBe('{{TODO: $.source_path}}');
    expect(stepTodos).toEqual([expect.objectContaining({ state: 'Transform', line: lineOf(json, '"Transform": {'), key: 'steps[0].arguments.--source' })]);
    expect(text).toMatch(/# TODO\(import\): argument --source is \$\.source_path at run time/);
  });

  test('a job name from the input is a TODO', () => {
    const definition = chain({ Transform: { ...glueTask('x'), Parameters: { 'JobName.$': '$.job' } } });
    const { steps, stepTodos } = imported(definition);
    expect(steps[0].jobName).toMatch(/^TODO: the Glue job name/);
    expect(stepTodos.map((todo) => todo.key)).toEqual(['steps[0].jobName']);
  });

  test('Glue run settings are kept under the glue step keys; the others are named in a comment', () => {
    const definition = chain({
      Transform: { ...glueTask('job'), Parameters: { JobName: 'job', ExecutionClass: 'FLEX', WorkerType: 'G.1X', NumberOfWorkers: 10, Timeout: 60 } },
    });
    const { steps, text } = imported(definition);
    expect(steps[0]).toEqual({ kind: 'glue', jobName: 'job', executionClass: 'FLEX', workerType: 'G.1X', numberOfWorkers: 10 });
    expect(text).toContain("not carried over from the state's Parameters: Timeout");
  });

  test('a JSONata state: Arguments, and the date as {% $states.input.execution_date %}', () => {
    const Arguments = { JobName: 'job', Arguments: { '--execution_date': '{% $states.input.execution_date %}', '--table': '{% $states.input.table %}' } };
    const { steps, stepTodos } = imported(
      chain({ Transform: { Type: 'Task', QueryLanguage: 'JSONata', Resource: 'arn:aws:states:::glue:startJobRun.sync', Arguments } }),
    );
    expect(steps[0].arguments).toEqual({ '--execution_date': '{{date}}', '--table': '{{TODO: $states.input.table}}' });
    expect(stepTodos.map((todo) => todo.key)).toEqual(['steps[0].arguments.--table']);
  });
});

test.each(['arn:aws:states:::glue:startCrawler', 'arn:aws:states:::aws-sdk:glue:startCrawler'])('%s becomes a crawler step with its name', (Resource) => {
  const { steps } = imported(chain({ Crawl: { Type: 'Task', Resource, Parameters: { Name: 'orders-crawler' } } }));
  expect(steps[0]).toEqual({ kind: 'crawler', name: 'orders-crawler' });
});

describe('redshift-data', () => {
  const connection = { WorkgroupName: 'analytics', Database: 'dev', SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:etl' };

  test('executeStatement becomes a sql step, and its connection the pipeline redshift', () => {
    const Resource = 'arn:aws:states:::aws-sdk:redshiftdata:executeStatement';
    const { steps, pipeline, stepTodos } = imported(chain({ Analyze: { Type: 'Task', Resource, Parameters: { ...connection, Sql: 'ANALYZE public.fct_orders' } } }));
    expect(steps[0]).toEqual({ kind: 'sql', statements: ['ANALYZE public.fct_orders'] });
    expect(pipeline.redshift).toEqual({ workgroupName: 'analytics', database: 'dev', secretArn: connection.SecretArn });
    expect(stepTodos).toEqual([]);
  });

  test('batchExecuteStatement keeps every statement, in order', () => {
    const Resource = 'arn:aws:states:::redshift-data:batchExecuteStatement';
    const { steps } = imported(chain({ Vacuum: { Type: 'Task', Resource, Parameters: { ...connection, Sqls: ['VACUUM t', 'ANALYZE t'] } } }));
    expect(steps[0]).toEqual({ kind: 'sql', statements: ['VACUUM t', 'ANALYZE t'] });
  });

  test('statement Parameters are a TODO: the sql step binds the date its own way', () => {
    const Resource = 'arn:aws:states:::aws-sdk:redshiftdata:executeStatement';
    const Parameters = { ...connection, Sql: 'DELETE FROM t WHERE d = :d', Parameters: [{ Name: 'd', 'Value.$': '$.execution_date' }] };
    const { stepTodos } = imported(chain({ Purge: { Type: 'Task', Resource, Parameters } }));
    expect(stepTodos).toEqual([expect.objectContaining({ key: 'steps[0].parameters', reason: expect.stringContaining('(the date among them)') })]);
  });
});

describe('sns:publish', () => {
  test('at the end of the main path it is the success topic; reached through Catch, the failure topic', () => {
    const definition = chain({ Transform: { ...glueTask('job'), Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Alert' }] }, Done: publish('ok') });
    (definition.States as Record<string, unknown>).Alert = { ...publish('failed'), End: true };
    const { pipeline, steps, todos } = imported(definition);
    expect(pipeline.notifications).toEqual({
      successTopicArn: 'arn:aws:sns:us-east-1:123456789012:ok',
      failureTopicArn: 'arn:aws:sns:us-east-1:123456789012:failed',
    });
    expect(steps.map((step) => step.kind)).toEqual(['glue', 'notify']);
    expect(todos).toEqual([]);
  });

  test('without a Catch that publishes, the failure topic is a TODO', () => {
    const { pipeline, todos } = imported(chain({ Transform: glueTask('job'), Done: publish('ok') }));
    expect(pipeline.notifications.failureTopicArn).toMatch(/^TODO: the topic failures are sent to/);
    expect(todos.map((todo) => todo.key)).toEqual(['notifications.failureTopicArn']);
  });

  test('a publish mid-run is a TODO step: the pipeline notifies once', () => {
    const { steps, stepTodos } = imported(chain({ Started: publish('started'), Transform: glueTask('job'), Done: publish('ok') }));
    expect(steps[0]).toMatchObject({ kind: 'todo', state: 'Started', reason: expect.stringContaining('publishes mid-run') });
    expect(stepTodos.map((todo) => todo.state)).toEqual(['Started']);
  });
});

describe('Lambda tasks', () => {
  test.each([
    ['validate-files', 'validate', ['contract']],
    ['load-redshift', 'load', ['table', 'dateColumn', 'copy']],
    ['orders_redshift_loader', 'load', ['table', 'dateColumn', 'copy']],
    ['refresh-views', 'refresh', ['views']],
  ])('%s is a %s step by its name; what it needs is a TODO without a mapping', (name, kind, keys) => {
    const { steps, stepTodos } = imported(chain({ Work: lambdaTask(name) }));
    expect(steps[0].kind).toBe(kind);
    for (const key of keys) expect(steps[0][key]).toMatch(/^TODO: /);
    expect(stepTodos.map((todo) => todo.key)).toEqual(keys.map((key) => `steps[0].${key}`));
  });

  test('lambda:invoke with a FunctionName ARN and alias is recognised the same way', () => {
    const invoke = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:refresh-views:prod' },
    };
    const { steps } = imported(chain({ Refresh: invoke }), { lambdas: { 'refresh-views': { views: ['analytics.daily_sales'] } } });
    expect(steps[0]).toEqual({ kind: 'refresh', views: ['analytics.daily_sales'] });
  });

  test('the mapping names what an unknown Lambda becomes and gives its config', () => {
    const mapping = { lambdas: { 'crunch-numbers': { kind: 'glue' as const, jobName: 'crunch', arguments: { '--day': '{{date}}' } } } };
    const { steps, stepTodos } = imported(chain({ Crunch: lambdaTask('crunch-numbers') }), mapping);
    expect(steps[0]).toEqual({ kind: 'glue', jobName: 'crunch', arguments: { '--day': '{{date}}' } });
    expect(stepTodos).toEqual([]);
  });

  test('an unknown Lambda without a mapping is a TODO step at its line', () => {
    const { steps, stepTodos, json } = imported(chain({ Crunch: lambdaTask('crunch-numbers') }));
    const line = lineOf(json, '"Crunch": {');
    expect(steps[0]).toEqual({ kind: 'todo', state: 'Crunch', line, reason: expect.stringContaining('as lambdas.crunch-numbers in a mapping file') });
    expect(stepTodos).toEqual([expect.objectContaining({ state: 'Crunch', line, key: 'steps[0]' })]);
  });
});

test('an unknown resource is a TODO step', () => {
  const { steps } = imported(chain({ Query: { Type: 'Task', Resource: 'arn:aws:states:::athena:startQueryExecution.sync' } }));
  expect(steps[0]).toMatchObject({
    kind: 'todo',
    reason: expect.stringContaining('runs arn:aws:states:::athena:startQueryExecution.sync, which no step kind does'),
  });
});

test('the mapping states.<name> adds config to a step, and with a kind replaces what the state would be', () => {
  const definition = chain({ Transform: glueTask('job', { '--execution_date.$': '$.execution_date' }), Pause: { Type: 'Wait', Seconds: 60 } });
  const mapping = { states: { Transform: { arguments: { '--mode': 'full' }, pollInterval: '1m' }, Pause: { kind: 'sql' as const, statements: ['SELECT 1'] } } };
  const { steps, stepTodos } = imported(definition, mapping);
  expect(steps.slice(0, 2)).toEqual([
    { kind: 'glue', jobName: 'job', arguments: { '--execution_date': '{{date}}', '--mode': 'full' }, pollInterval: '1m' },
    { kind: 'sql', statements: ['SELECT 1'] },
  ]);
  expect(stepTodos).toEqual([]);
});
