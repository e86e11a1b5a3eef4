import { imported, publish } from './importing';

// Work started without waiting (no .sync), then waited for in a loop of Wait, a status Task and a Choice: the
// step waits for its own work, so the loop becomes no step, and its way out on failure is the failure path.

const startGlue = {
  Type: 'Task',
  Resource: 'arn:aws:states:::glue:startJobRun',
  Parameters: { JobName: 'transform-orders', Arguments: { '--execution_date.$': '$.execution_date' } },
  ResultPath: '$.glue',
};
const getJobRun = {
  Type: 'Task',
  Resource: 'arn:aws:states:::aws-sdk:glue:getJobRun',
  Parameters: { JobName: 'transform-orders', 'RunId.$': '$.glue.JobRunId' },
  ResultPath: '$.status',
};
const analyze = {
  Type: 'Task',
  Resource: 'arn:aws:states:::aws-sdk:redshiftdata:executeStatement',
  Parameters: { WorkgroupName: 'analytics', Database: 'dev', Sql: 'ANALYZE public.fct_orders' },
};
const state = (name: string) => ({ Variable: '$.status.JobRun.JobRunState', StringEquals: name });

test('a Glue job polled in a Wait -> getJobRun -> Choice loop becomes one glue step, and the run goes on where the loop leads once it succeeded', () => {
  const definition = {
    StartAt: 'StartGlue',
    States: {
      StartGlue: { ...startGlue, Next: 'WaitForGlue' },
      WaitForGlue: { Type: 'Wait', Seconds: 60, Next: 'GetGlueStatus' },
      GetGlueStatus: { ...getJobRun, Next: 'IsGlueDone' },
      IsGlueDone: {
        Type: 'Choice',
        Choices: [
          { ...state('SUCCEEDED'), Next: 'Analyze' },
          { ...state('FAILED'), Next: 'Failed' },
        ],
        Default: 'WaitForGlue',
      },
      Analyze: { ...analyze, Next: 'Done' },
      Done: { ...publish('ok'), End: true },
      Failed: { Type: 'Fail', Error: 'GlueFailed' },
    },
  };

  const { steps, stepTodos, text } = imported(definition);

  expect(steps.map((step) => step.kind)).toEqual(['glue', 'sql', 'notify']);
  expect(steps[0]).toMatchObject({ jobName: 'transform-orders', arguments: { '--execution_date': '{{date}}' } });
  expect(stepTodos).toEqual([]);
  expect(text).toContain(
    '# Left out: WaitForGlue (Wait, polling StartGlue, whose step waits for its own work); GetGlueStatus (Task, polling StartGlue, ' +
      'whose step waits for its own work); IsGlueDone (Choice, polling StartGlue, whose step waits for its own work).',
  );
});

test("a crawler polled by a Choice before its Wait; the loop's way out on failure gives the failure topic", () => {
  const definition = {
    StartAt: 'StartCrawler',
    States: {
      StartCrawler: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:glue:startCrawler', Parameters: { Name: 'orders-crawler' }, Next: 'GetCrawler' },
      GetCrawler: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:glue:getCrawler', Parameters: { Name: 'orders-crawler' }, Next: 'Ready' },
      Ready: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.Crawler.State', StringEquals: 'READY', Next: 'Done' },
          { Variable: '$.Crawler.LastCrawl.Status', StringEquals: 'FAILED', Next: 'Alert' },
        ],
        Default: 'Pause',
      },
      Pause: { Type: 'Wait', Seconds: 30, Next: 'GetCrawler' },
      Done: { ...publish('ok'), End: true },
      Alert: { ...publish('crawl-failed'), Next: 'Failed' },
      Failed: { Type: 'Fail' },
    },
  };

  const { steps, todos, pipeline } = imported(definition);

  expect(steps).toEqual([{ kind: 'crawler', name: 'orders-crawler' }, { kind: 'notify' }]);
  expect(pipeline.notifications).toEqual({
    successTopicArn: 'arn:aws:sns:us-east-1:123456789012:ok',
    failureTopicArn: 'arn:aws:sns:us-east-1:123456789012:crawl-failed',
  });
  expect(todos).toEqual([]);
});

test('a loop that waits for no work started before it is still refused as a cycle', () => {
  const definition = {
    StartAt: 'Begin',
    States: {
      Begin: { Type: 'Pass', Next: 'Check' },
      Check: { ...getJobRun, Next: 'Done?' },
      'Done?': { Type: 'Choice', Choices: [{ ...state('SUCCEEDED'), Next: 'End' }], Default: 'Pause' },
      Pause: { Type: 'Wait', Seconds: 60, Next: 'Check' },
      End: { Type: 'Succeed' },
    },
  };

  expect(() => imported(definition)).toThrow(/the states go round in a cycle \(Check -> Done\? -> Pause -> Check\)/);
});

test('a loop that can carry on two ways is still refused as a cycle', () => {
  const definition = {
    StartAt: 'StartGlue',
    States: {
      StartGlue: { ...startGlue, Next: 'GetGlueStatus' },
      GetGlueStatus: { ...getJobRun, Next: 'IsGlueDone' },
      IsGlueDone: {
        Type: 'Choice',
        Choices: [
          { ...state('SUCCEEDED'), Next: 'Analyze' },
          { ...state('TIMEOUT'), Next: 'Done' },
        ],
        Default: 'WaitForGlue',
      },
      WaitForGlue: { Type: 'Wait', Seconds: 60, Next: 'GetGlueStatus' },
      Analyze: { ...analyze, Next: 'Done' },
      Done: { ...publish('ok'), End: true },
    },
  };

  expect(() => imported(definition)).toThrow(/the states go round in a cycle/);
});
