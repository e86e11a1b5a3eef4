import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadMapping } from '../../src/import/stepFunctions/mapping';
import { sampleOrdersYaml } from '../config/pipelineFiles';
import { imported } from './importing';

const fixtures = path.join(__dirname, 'fixtures');
const seed: unknown = JSON.parse(fs.readFileSync(path.join(fixtures, 'daily-etl.asl.json'), 'utf8'));
const sample = parse(sampleOrdersYaml) as Record<string, Record<string, unknown>> & { steps: { kind: string }[] };
const sampleStep = (kind: string) => sample.steps.find((each) => each.kind === kind)!;
const topicName = (arn: string) => arn.split(':').pop();

describe("the seed's state machine, with the mapping a user writes for it", () => {
  const { pipeline, steps, todos } = imported(seed, loadMapping(path.join(fixtures, 'orders-mapping.yaml')));
  const step = (kind: string) => steps.find((each) => each.kind === kind)!;

  test('maps every state', () => {
    expect(todos).toEqual([]);
  });

  test('runs the sample pipeline steps, in order', () => {
    expect(steps.map((each) => each.kind)).toEqual(['validate', 'glue', 'load', 'refresh', 'notify']);
  });

  test('validates against the sample contract', () => {
    expect(step('validate')).toEqual(sampleStep('validate'));
  });

  test('runs the same Glue job with the same arguments and options', () => {
    expect(step('glue')).toEqual(sampleStep('glue'));
  });

  test('loads the same table from the same COPY source, and refreshes the same views', () => {
    expect(step('load')).toEqual(sampleStep('load'));
    expect(step('refresh')).toEqual(sampleStep('refresh'));
    expect(pipeline.redshift).toEqual(sample.redshift);
  });

  test('notifies the same topics', () => {
    // The state machine's account id is 123456789, the sample's 123456789012: the topics are the same by name.
    expect(topicName(pipeline.notifications.successTopicArn)).toBe(topicName(sample.notifications.successTopicArn as string));
    expect(topicName(pipeline.notifications.failureTopicArn)).toBe(topicName(sample.notifications.failureTopicArn as string));
  });

  test('has the sample name, description, S3 settings and schedule', () => {
    for (const key of ['name', 'description', 's3', 'schedule']) expect([key, pipeline[key]]).toEqual([key, sample[key]]);
  });
});

test('without a mapping, what the Lambdas and the settings hold is left to resolve', () => {
  const { steps, todos } = imported(seed, {}, 'daily-etl.asl.json');
  expect(steps.map((each) => each.kind)).toEqual(['validate', 'glue', 'load', 'refresh', 'notify']);
  expect(todos.map((todo) => `${todo.state}: ${todo.key}`)).toEqual([
    'ValidateFiles: s3',
    'LoadToRedshift: redshift',
    'ValidateFiles: steps[0].contract',
    'LoadToRedshift: steps[2].table',
    'LoadToRedshift: steps[2].dateColumn',
    'LoadToRedshift: steps[2].copy',
    'RefreshViews: steps[3].views',
  ]);
});
