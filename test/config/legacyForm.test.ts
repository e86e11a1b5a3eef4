import * as path from 'node:path';
import { ConfigError, loadPipeline } from '../../src/config';
import { configDirWith, edit, legacyOrdersElsewhere, legacyOrdersYaml, lineOf } from './pipelineFiles';

// A file written before pipelines had step lists (top-level contract, glue, redshift with the load's table, views,
// and a `steps:` map of options) still loads, as the list it stands for, and its problems are named at its own keys.

const legacy = legacyOrdersYaml;

test('the sample written the earlier way loads as the step-list sample does', () => {
  const listed = loadPipeline('orders', path.join(__dirname, '../../config/pipelines'));

  expect(loadPipeline('orders', legacyOrdersElsewhere())).toEqual(listed);
});

test.each([
  {
    kind: 'a glue key',
    text: edit(legacy, '  pollInterval: 30s', '  pollInterval: 0s'),
    at: 'pollInterval: 0s',
    key: 'glue.pollInterval',
    problem: 'must be longer than 0, such as "5s": polling without a pause calls AWS in a tight loop',
  },
  {
    kind: 'a redshift.copy key',
    text: edit(legacy, 'iamRole: arn:aws:iam::123456789012:role/RedshiftCopyRole', 'iamRole: RedshiftCopyRole'),
    at: 'iamRole:',
    key: 'redshift.copy.iamRole',
    problem: 'must be an iam ARN (arn:aws:iam:...)',
  },
  {
    kind: 'an option under steps.<kind>',
    text: edit(legacy, '    startToCloseTimeout: 6h', '    startToCloseTimeout: 6h\n    heartbeatTimeout: 9s'),
    at: 'heartbeatTimeout: 9s',
    key: 'steps.glue.heartbeatTimeout',
    problem: 'must be at least 10s: the step heartbeats every 5s, so a shorter timeout would fail it on a busy worker',
  },
  {
    kind: 'a contract key',
    text: edit(legacy, '  format: csv\n', '  format: csv\n  delimiter: "\\n"\n'),
    at: 'delimiter:',
    key: 'contract.delimiter',
    problem: 'must not be "\\n" (a line break): use a character such as ",", ";", "|" or a tab',
  },
  {
    kind: 'a COPY source that disagrees with s3.prefixes.processed',
    text: edit(legacy, 'source: "s3://{{bucket}}/{{prefixes.processed}}', 'source: "s3://{{bucket}}/curated/orders/'),
    at: 'source: "s3://',
    key: 'redshift.copy.source',
    problem:
      's3://etl-data-lake/curated/orders/order_date={{date}}/ is not under s3://etl-data-lake/processed/orders/, so it disagrees ' +
      "with s3.prefixes.processed (processed/orders/): the load reads the Glue job's output, which lies under s3.prefixes.processed; " +
      'write it as "s3://{{bucket}}/{{prefixes.processed}}{{date}}/", or leave it out for the date\'s folder there',
  },
])('$kind is refused at its key in the file', ({ text, at, key, problem }) => {
  const dir = configDirWith({ 'orders.yaml': text });
  const file = path.join(dir, 'orders.yaml');

  expect(() => loadPipeline('orders', dir)).toThrow(new ConfigError(file, [{ line: lineOf(text, at), key, problem }]));
});
