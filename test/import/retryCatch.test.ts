import { chain, glueTask, imported, lambdaTask, publish } from './importing';

const withRetry = (Retry: unknown[]) => imported(chain({ Transform: { ...glueTask('job'), Retry } }));

describe('Retry', () => {
  test("becomes the step's options: MaxAttempts retries after the first attempt, IntervalSeconds the first wait", () => {
    const { steps, text } = withRetry([{ ErrorEquals: ['States.ALL'], MaxAttempts: 4, IntervalSeconds: 30, BackoffRate: 2 }]);
    expect(steps[0].options).toEqual({ maximumAttempts: 5, initialInterval: '30s' });
    expect(text).not.toContain('backed off');
  });

  test("ASL's defaults apply to the fields a retrier leaves out", () => {
    expect(withRetry([{ ErrorEquals: ['States.ALL'] }]).steps[0].options).toEqual({ maximumAttempts: 4, initialInterval: '1s' });
  });

  test('a BackoffRate, MaxDelaySeconds or jitter that steps do not have is said in a comment above the step', () => {
    const { text } = withRetry([{ ErrorEquals: ['States.ALL'], BackoffRate: 1.5, MaxDelaySeconds: 60, JitterStrategy: 'FULL' }]);
    expect(text).toContain('Step Functions backed off x1.5 between attempts; steps back off x2');
    expect(text).toContain('Step Functions waited at most 60s between attempts; steps wait at most 10m');
    expect(text).toContain('Step Functions added jitter to the retries; steps retry without it');
  });

  test('of several retriers the one for every error is taken, and the others named', () => {
    const { steps, text } = withRetry([
      { ErrorEquals: ['Glue.ConcurrentRunsExceededException'], MaxAttempts: 10, IntervalSeconds: 60 },
      { ErrorEquals: ['States.ALL'], MaxAttempts: 2, IntervalSeconds: 5 },
    ]);
    expect(steps[0].options).toEqual({ maximumAttempts: 3, initialInterval: '5s' });
    expect(text).toContain('the state had 2 retriers; the options come from the one for States.ALL');
  });

  test('a retrier for some errors only is taken, with a comment that the step retries every error', () => {
    const { steps, text } = withRetry([{ ErrorEquals: ['States.Timeout'], MaxAttempts: 1 }]);
    expect(steps[0].options).toEqual({ maximumAttempts: 2, initialInterval: '1s' });
    expect(text).toContain('Step Functions retried only States.Timeout; the step retries every error but those no retry can fix');
  });

  test('TimeoutSeconds becomes startToCloseTimeout', () => {
    const { steps } = imported(chain({ Transform: { ...glueTask('job'), TimeoutSeconds: 7200 } }));
    expect(steps[0].options).toEqual({ startToCloseTimeout: '7200s' });
  });

  test("a publish's Retry becomes the notify step's options", () => {
    const { steps } = imported(chain({ Transform: glueTask('job'), Done: { ...publish('ok'), Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }] } }));
    expect(steps[steps.length - 1]).toEqual({ kind: 'notify', options: { maximumAttempts: 3, initialInterval: '1s' } });
  });
});

describe('Catch', () => {
  const failure = { Alert: { ...publish('failed'), End: true } };

  test('on some states only: the failure topic, and a comment that the pipeline alerts whichever step fails', () => {
    const definition = chain({ Transform: glueTask('job'), Refresh: { ...lambdaTask('refresh-views'), Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Alert' }] } });
    Object.assign(definition.States as object, failure);
    const { pipeline, text } = imported(definition);
    expect(pipeline.notifications.failureTopicArn).toBe('arn:aws:sns:us-east-1:123456789012:failed');
    expect(text).toContain('Step Functions alerted on failures of Refresh only; the pipeline alerts once whichever step fails');
  });

  test('for some errors only: a comment that the pipeline alerts on every failure', () => {
    const definition = chain({ Transform: { ...glueTask('job'), Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Alert' }] } });
    Object.assign(definition.States as object, failure);
    expect(imported(definition).text).toContain('Transform caught only States.Timeout; the pipeline alerts on every failure');
  });

  test('a Catch that carries on along the main path is a TODO on the step', () => {
    const definition = chain({ Transform: { ...glueTask('job'), Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }] }, Done: publish('ok') });
    const { steps, stepTodos } = imported(definition);
    expect(steps[0].catch).toMatch(/^TODO: on a failure the state machine carried on at Done/);
    expect(stepTodos.map((todo) => todo.key)).toEqual(['steps[0].catch']);
  });

  test('a task on the failure path other than the alert is a TODO step; a Fail state there is left out', () => {
    const definition = chain({ Transform: { ...glueTask('job'), Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Cleanup' }] } });
    Object.assign(definition.States as object, {
      Cleanup: { ...lambdaTask('cleanup-temp'), Next: 'Alert' },
      Alert: { ...publish('failed'), Next: 'Failed' },
      Failed: { Type: 'Fail' },
    });
    const { steps, pipeline } = imported(definition);
    expect(steps.map((step) => [step.kind, step.state])).toEqual([
      ['glue', undefined],
      ['todo', 'Cleanup'],
      ['notify', undefined],
    ]);
    expect(steps[1].reason).toContain('runs when a step fails (reached through a Catch)');
    expect(pipeline.notifications.failureTopicArn).toBe('arn:aws:sns:us-east-1:123456789012:failed');
  });
});
