import * as path from 'node:path';
import { ConfigError, loadPipeline } from '../../src/config';
import { stepOf } from '../support/pipelines';
import { configDirWith, edit, lineOf, sampleOrdersElsewhere } from './pipelineFiles';

// A pipeline written as an ordered list of typed steps: what it loads as, and what it refuses, with problems
// named at the step of the list they are in.

const samples = path.join(__dirname, '../../config/pipelines');

/** The sample orders pipeline without its comments and its notify step, its files named by their absolute paths like sampleOrdersElsewhere's. */
const listedOrdersYaml = `name: orders
description: Daily orders - validate raw CSV exports, transform with Glue, load Redshift, refresh views.

s3:
  bucket: etl-data-lake
  prefixes:
    raw: raw/orders/
    validated: validated/orders/
    errors: errors/orders/
    processed: processed/orders/

redshift:
  workgroupName: analytics
  database: dev
  secretArn: arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-etl
  pollInterval: 5s
  ddl: ${path.join(samples, 'orders.sql')}

notifications:
  successTopicArn: arn:aws:sns:us-east-1:123456789012:pipeline-success
  failureTopicArn: arn:aws:sns:us-east-1:123456789012:pipeline-failure

schedule:
  cron: "0 8 * * *"
  timezone: UTC
  dateOffsetDays: -1
  overlap: skip
  catchupWindow: 1d

steps:
  - kind: validate
    contract:
      format: csv
      columns:
        - { name: order_id, type: string }
        - { name: customer_id, type: string }
        - { name: order_date, type: date }
        - { name: order_amount, type: "decimal(18,2)" }
        - { name: product_id, type: string, nullable: true }
        - { name: created_at, type: timestamp, nullable: true }
        - { name: order_status, type: string }
  - kind: glue
    jobName: transform-orders
    arguments:
      --execution_date: "{{date}}"
      --source_path: "s3://{{bucket}}/{{prefixes.validated}}{{date}}/"
      --target_path: "s3://{{bucket}}/{{prefixes.processed}}order_date={{date}}/"
    pollInterval: 30s
    localScript: ${path.resolve(samples, '../../jobs/orders/transform_orders.py')}
    options:
      startToCloseTimeout: 6h
  - kind: load
    table: public.fct_orders
    dateColumn: order_date
    copy:
      source: "s3://{{bucket}}/{{prefixes.processed}}order_date={{date}}/"
      format: parquet
      iamRole: arn:aws:iam::123456789012:role/RedshiftCopyRole
      columns: [order_id, customer_id, order_amount, product_id, created_at, processed_at]
  - kind: refresh
    views:
      - analytics.daily_sales
      - analytics.customer_metrics
`;

/** The file up to its `steps:`, for cases that write steps of their own. */
const [listedHead] = listedOrdersYaml.split('steps:\n');

function loadText(text: string) {
  const dir = configDirWith({ 'orders.yaml': text });
  return { load: () => loadPipeline('orders', dir), file: path.join(dir, 'orders.yaml') };
}

/** The ConfigError loading `text` throws. */
function refusal(text: string): ConfigError {
  const { load } = loadText(text);
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the pipeline to be refused, but it loaded');
}

describe('a pipeline written as a step list', () => {
  test('loads as the sample, which also lists notify, does: the same steps, with the same settings', () => {
    const listed = loadText(listedOrdersYaml).load();
    const sample = loadPipeline('orders', sampleOrdersElsewhere());

    expect(listed.steps).toEqual(sample.steps);
    expect(listed).toEqual(sample);
  });

  test("a step's id is its kind unless it names one; notify is added last when left out", () => {
    const text = edit(listedOrdersYaml, '  - kind: glue\n', '  - kind: glue\n    id: transform\n');

    const pipeline = loadText(text).load();

    expect(pipeline.steps.map((step) => [step.kind, step.id])).toEqual([
      ['validate', 'validate'],
      ['glue', 'transform'],
      ['load', 'load'],
      ['refresh', 'refresh'],
      ['notify', 'notify'],
    ]);
    expect(stepOf(pipeline, 'notify').options).toEqual({});
  });

  test("a glue step's output is by default the COPY source of the load after it; one it names is kept", () => {
    const defaulted = loadText(listedOrdersYaml).load();
    expect(stepOf(defaulted, 'glue').output).toBe('s3://etl-data-lake/processed/orders/order_date={{date}}/');

    const withoutSource = edit(listedOrdersYaml, '      source: "s3://{{bucket}}/{{prefixes.processed}}order_date={{date}}/"\n', '');
    const text = edit(withoutSource, 'order_date={{date}}/"\n    pollInterval', '{{date}}/"\n    pollInterval');
    const fromDefaultSource = loadText(text).load();
    expect(stepOf(fromDefaultSource, 'load').copy.source).toBe('s3://etl-data-lake/processed/orders/{{date}}/');
    expect(stepOf(fromDefaultSource, 'glue').output).toBe('s3://etl-data-lake/processed/orders/{{date}}/');

    const named = edit(
      listedOrdersYaml,
      '    pollInterval: 30s\n',
      '    pollInterval: 30s\n    output: "s3://{{bucket}}/{{prefixes.processed}}order_date={{date}}/"\n',
    );
    expect(stepOf(loadText(named).load(), 'glue').output).toBe('s3://etl-data-lake/processed/orders/order_date={{date}}/');
  });

  test('a VACUUM loads as a sql step of its own', () => {
    const text = `${listedOrdersYaml}  - kind: sql\n    id: vacuum\n    statements: [VACUUM public.fct_orders]\n`;

    expect(stepOf(loadText(text).load(), 'sql')).toMatchObject({ id: 'vacuum', statements: ['VACUUM public.fct_orders'] });
  });

  test('a glue step with no load after it clears nothing', () => {
    const text = `${listedHead}steps:\n  - kind: glue\n    jobName: transform-orders\n`;

    const pipeline = loadText(text).load();

    expect(pipeline.steps.map((step) => step.id)).toEqual(['glue', 'notify']);
    expect(stepOf(pipeline, 'glue').output).toBeUndefined();
  });
});

describe('a step list that cannot work is refused, naming the step', () => {
  const secondGlue = '  - kind: glue   # the second\n    jobName: publish-orders\n';

  test('a kind that repeats without ids', () => {
    const text = edit(listedOrdersYaml, '  - kind: load\n', `${secondGlue}  - kind: load\n`);

    expect(refusal(text)).toMatchObject({
      issues: [{ line: lineOf(text, '# the second'), key: 'steps[2].id', problem: 'is also the id of steps[1]: give each glue step its own id (id: ...)' }],
    });
  });

  test('a kind that repeats with ids of their own loads', () => {
    const text = edit(listedOrdersYaml, '  - kind: load\n', `${secondGlue}    id: publish\n  - kind: load\n`);

    expect(
      loadText(text)
        .load()
        .steps.map((step) => step.id),
    ).toEqual(['validate', 'glue', 'publish', 'load', 'refresh', 'notify']);
  });

  test('a step whose id is the kind of a later step: the id is refused, not the later step', () => {
    const text = edit(listedOrdersYaml, '  - kind: refresh\n', '  - kind: refresh\n    id: notify   # taken\n');

    expect(refusal(text)).toMatchObject({
      issues: [{ line: lineOf(text, '# taken'), key: 'steps[3].id', problem: 'is the id of the notify step (its kind): give this refresh step another id' }],
    });
  });

  test('steps of two kinds with one id', () => {
    const text = `${listedOrdersYaml}  - kind: sql\n    id: refresh   # taken\n    statements: [ANALYZE public.fct_orders]\n`;

    expect(refusal(text)).toMatchObject({
      issues: [{ line: lineOf(text, '# taken'), key: 'steps[4].id', problem: 'is also the id of steps[3]: give each step its own id (id: ...)' }],
    });
  });

  test.each([
    ['5', 'must be a list, not number 5'],
    ['hello', 'must be a list, not string "hello"'],
    ['', 'empty (expected a list)'],
  ])('steps: %p, which is no list', (value, problem) => {
    const text = `${listedHead}steps: ${value}\n`;

    expect(refusal(text)).toMatchObject({ issues: [{ line: lineOf(text, /^steps:/), key: 'steps', problem }] });
  });

  test('a second validate step', () => {
    const text = `${listedOrdersYaml}  - kind: validate   # the second\n    contract: { format: jsonl, columns: [{ name: order_id, type: string }] }\n`;

    expect(refusal(text)).toMatchObject({
      issues: [{ line: lineOf(text, '# the second'), key: 'steps[4].kind', problem: 'a pipeline has one validate step; steps[0] is one already' }],
    });
  });

  test('notify before the last step', () => {
    const text = edit(listedOrdersYaml, '  - kind: refresh\n', '  - kind: notify\n  - kind: refresh\n');

    expect(refusal(text)).toMatchObject({
      issues: [
        {
          line: lineOf(text, 'kind: notify'),
          key: 'steps[3].kind',
          problem: 'notify is the last step: move it to the end of the list, or leave it out (it is added there)',
        },
      ],
    });
  });

  test('a TODO left by an import', () => {
    const text = edit(listedOrdersYaml, '  - kind: refresh\n', '  - kind: todo\n    state: CheckRowCounts\n  - kind: refresh\n');

    expect(refusal(text)).toMatchObject({
      issues: [
        {
          line: lineOf(text, 'kind: todo'),
          key: 'steps[3].kind',
          problem: 'is a TODO left by `etl import`: replace this step with one of the kinds it stands for, or remove it',
        },
      ],
    });
  });

  test.each([
    ['contract', 'contract:\n  format: csv\n  columns: [{ name: order_id, type: string }]\n', 'move it to the validate step (- kind: validate, contract: ...)'],
    ['glue', 'glue:\n  jobName: transform-orders\n', 'move it to a glue step (- kind: glue, jobName: ...)'],
    ['views', 'views: [analytics.daily_sales]\n', 'move them to a refresh step (- kind: refresh, views: [...])'],
  ])('a top-level %s, which belongs to a step', (key, section, where) => {
    const text = edit(listedOrdersYaml, 'notifications:\n', `${section}\nnotifications:\n`);

    expect(refusal(text)).toMatchObject({
      issues: [{ line: lineOf(text, new RegExp(`^${key}:`)), key, problem: `belongs to the steps list in a pipeline that has one: ${where}` }],
    });
  });

  test.each([
    [
      'load',
      '  - kind: load\n    table: public.fct_orders\n    dateColumn: order_date\n    copy: { format: parquet, iamRole: arn:aws:iam::123456789012:role/RedshiftCopyRole }\n',
    ],
    ['sql', '  - kind: sql\n    statements: [ANALYZE public.fct_orders]\n'],
    ['refresh', '  - kind: refresh\n    views: [analytics.daily_sales]\n'],
  ])('a %s step without a Redshift connection', (kind, step) => {
    const withoutRedshift = listedHead.replace(/redshift:\n( {2}.*\n)+\n/, '');
    expect(withoutRedshift).not.toContain('redshift:');
    const text = `${withoutRedshift}steps:\n${step}`;

    expect(refusal(text)).toMatchObject({
      issues: [{ key: 'redshift', problem: `missing: the ${kind} step runs on Redshift; set redshift (workgroupName or clusterIdentifier, database, ...)` }],
    });
  });

  test('a VACUUM among other statements, which Redshift cannot run in their transaction', () => {
    const text = `${listedOrdersYaml}  - kind: sql\n    statements:\n      - DELETE FROM public.fct_orders WHERE order_amount < 0\n      - vacuum public.fct_orders\n`;

    expect(refusal(text)).toMatchObject({
      issues: [
        {
          line: lineOf(text, 'vacuum public.fct_orders'),
          key: 'steps[4].statements[1]',
          problem: "VACUUM cannot run inside the transaction this step's statements share: give it a sql step of its own, as its only statement and with no check",
        },
      ],
    });
  });

  test("a value that disagrees with the rest is named at its step's key", () => {
    const text = edit(listedOrdersYaml, '--source_path: "s3://{{bucket}}/', '--source_path: "s3://old-lake/');

    expect(refusal(text)).toMatchObject({
      issues: [
        {
          line: lineOf(text, '--source_path'),
          key: 'steps[1].arguments.--source_path',
          problem:
            's3://old-lake/validated/orders/{{date}}/ names s3.prefixes.validated (validated/orders/) in bucket old-lake, ' +
            'but s3.bucket is etl-data-lake: write it as "s3://{{bucket}}/{{prefixes.validated}}{{date}}/"',
        },
      ],
    });
  });

  test("a step's option that cannot work is named at the step's options", () => {
    const text = edit(listedOrdersYaml, '    dateColumn: order_date\n', '    dateColumn: order_date\n    options: { heartbeatTimeout: 5s }\n');

    expect(refusal(text)).toMatchObject({
      issues: [
        {
          line: lineOf(text, 'heartbeatTimeout: 5s'),
          key: 'steps[2].options.heartbeatTimeout',
          problem: expect.stringMatching(/^must be at least \d+s: the step heartbeats every \d+s/),
        },
      ],
    });
  });

  test("a value that cannot work is named at the step's key", () => {
    const text = edit(listedOrdersYaml, '    pollInterval: 30s\n', '    pollInterval: 0s\n');

    expect(refusal(text)).toMatchObject({
      issues: [{ line: lineOf(text, 'pollInterval: 0s'), key: 'steps[1].pollInterval', problem: expect.stringMatching(/^must be longer than 0/) }],
    });
  });
});
