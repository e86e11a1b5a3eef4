import * as path from 'node:path';
import { ConfigError, loadPipeline } from '../../src/config';
import { configDirWith, edit, lineOf, sampleOrdersYaml } from './pipelineFiles';

/** Values that pass for their type but cannot work: each is refused with one line naming file, line and key. */

const sample = sampleOrdersYaml;
const prefixes = 'raw: raw/orders/            # files for a date land under raw/orders/YYYY-MM-DD/';

function loadText(text: string) {
  const dir = configDirWith({ 'orders.yaml': text });
  return { load: () => loadPipeline('orders', dir), file: path.join(dir, 'orders.yaml') };
}

const withDelimiter = (yaml: string) => edit(sample, '      format: csv\n', `      format: csv\n      delimiter: ${yaml}\n`);
const withGlueHeartbeat = (timeout: string) => edit(sample, '      startToCloseTimeout: 6h', `      startToCloseTimeout: 6h\n      heartbeatTimeout: ${timeout}`);
/** The sample with `options` added to the step that starts with `kind` (the step's first line). */
const withOptions = (kind: string, options: string) => edit(sample, `  - kind: ${kind}\n`, `  - kind: ${kind}\n    options: ${options}\n`);

const cases = [
  {
    kind: 'a Glue poll interval of 0s',
    text: edit(sample, '  pollInterval: 30s', '  pollInterval: 0s'),
    at: 'pollInterval: 0s',
    key: 'steps[1].pollInterval',
    problem: 'must be longer than 0, such as "5s": polling without a pause calls AWS in a tight loop',
  },
  {
    kind: 'a Redshift poll interval of 0ms',
    text: edit(sample, '  pollInterval: 5s', '  pollInterval: 0ms'),
    at: 'pollInterval: 0ms',
    key: 'redshift.pollInterval',
    problem: 'must be longer than 0, such as "5s": polling without a pause calls AWS in a tight loop',
  },
  {
    kind: 'a Glue heartbeat timeout shorter than two of its heartbeats',
    text: withGlueHeartbeat('9s'),
    at: 'heartbeatTimeout: 9s',
    key: 'steps[1].options.heartbeatTimeout',
    problem: 'must be at least 10s: the step heartbeats every 5s, so a shorter timeout would fail it on a busy worker',
  },
  {
    kind: 'a load heartbeat timeout of 5s',
    text: withOptions('load', '{ heartbeatTimeout: 5s }'),
    at: 'options: { heartbeatTimeout',
    key: 'steps[2].options.heartbeatTimeout',
    problem: 'must be at least 10s: the step heartbeats every 5s, so a shorter timeout would fail it on a busy worker',
  },
  {
    kind: 'a validate heartbeat timeout of 8s',
    text: withOptions('validate', '{ heartbeatTimeout: 8s }'),
    at: 'options: { heartbeatTimeout',
    key: 'steps[0].options.heartbeatTimeout',
    problem: 'must be at least 10s: the step heartbeats every 5s, so a shorter timeout would fail it on a busy worker',
  },
  {
    kind: 'a refresh heartbeat timeout of 1s',
    text: withOptions('refresh', '{ heartbeatTimeout: 1s }'),
    at: 'options: { heartbeatTimeout',
    key: 'steps[3].options.heartbeatTimeout',
    problem: 'must be at least 10s: the step heartbeats every 5s, so a shorter timeout would fail it on a busy worker',
  },
  ...[
    ['"\\""', '"\\""', 'the CSV quote character'],
    ['"\\n"', '"\\n"', 'a line break'],
    ['"\\r"', '"\\r"', 'a line break'],
    ['"\\0"', '"\\u0000"', 'a NUL byte, which the contract rejects in any file'],
  ].map(([yaml, shown, reason]) => ({
    kind: `the delimiter ${yaml}`,
    text: withDelimiter(yaml),
    at: 'delimiter:',
    key: 'steps[0].contract.delimiter',
    problem: `must not be ${shown} (${reason}): use a character such as ",", ";", "|" or a tab`,
  })),
  {
    kind: 'a validated prefix equal to the raw prefix',
    text: edit(sample, 'validated: validated/orders/', 'validated: raw/orders/'),
    at: 'validated: raw/orders/',
    key: 's3.prefixes.validated',
    problem: `"raw/orders/" is also s3.prefixes.raw: give each prefix its own folder, or files of one would be taken for the other's`,
  },
  {
    kind: 'an errors prefix inside the raw prefix',
    text: edit(sample, 'errors: errors/orders/', 'errors: raw/orders/errors/'),
    at: 'errors: raw/orders/errors/',
    key: 's3.prefixes.errors',
    problem: `"raw/orders/errors/" lies inside s3.prefixes.raw ("raw/orders/"): give each prefix its own folder, or files of one would be taken for the other's`,
  },
  {
    kind: 'an archive prefix containing the validated prefix',
    text: edit(sample, 'processed: processed/orders/', 'processed: processed/orders/\n    archive: validated/'),
    at: 'archive: validated/',
    key: 's3.prefixes.archive',
    problem: `"validated/" contains s3.prefixes.validated ("validated/orders/"): give each prefix its own folder, or files of one would be taken for the other's`,
  },
  {
    kind: 'a raw prefix inside the default archive prefix',
    text: edit(sample, prefixes, 'raw: archive/orders/raw/'),
    at: 'prefixes:',
    key: 's3.prefixes.archive',
    problem: `"archive/orders/" (the default) contains s3.prefixes.raw ("archive/orders/raw/"): give each prefix its own folder, or files of one would be taken for the other's`,
  },
  {
    kind: 'a processed prefix containing the errors prefix',
    text: edit(sample, 'processed: processed/orders/', 'processed: errors/'),
    at: 'processed: errors/',
    key: 's3.prefixes.processed',
    problem: `"errors/" contains s3.prefixes.errors ("errors/orders/"): give each prefix its own folder, or files of one would be taken for the other's`,
  },
  {
    kind: 'the overlap policy terminate_other',
    text: edit(sample, 'overlap: skip', 'overlap: terminate_other'),
    at: 'overlap:',
    key: 'schedule.overlap',
    problem:
      'terminate_other would kill the date still running mid-step, without an alert: ' +
      'use buffer_all (the next date waits), skip (it is skipped and alerted) or allow_all (dates run side by side)',
  },
  {
    kind: 'the overlap policy cancel_other',
    text: edit(sample, 'overlap: skip', 'overlap: cancel_other'),
    at: 'overlap:',
    key: 'schedule.overlap',
    problem:
      'cancel_other would cancel the date still running (stopping its Glue run) without an alert: ' +
      'use buffer_all (the next date waits), skip (it is skipped and alerted) or allow_all (dates run side by side)',
  },
  {
    kind: 'the overlap policy buffer_one',
    text: edit(sample, 'overlap: skip', 'overlap: buffer_one'),
    at: 'overlap:',
    key: 'schedule.overlap',
    problem:
      'buffer_one drops every date that falls due while one is already waiting, without a trace: ' +
      'use buffer_all (the next date waits), skip (it is skipped and alerted) or allow_all (dates run side by side)',
  },
  {
    kind: 'a COPY source in another bucket than the Glue job writes to',
    text: edit(sample, 'source: "s3://{{bucket}}/', 'source: "s3://old-lake/'),
    at: 'source: "s3://',
    key: 'steps[2].copy.source',
    problem: unwritten('s3://old-lake/processed/orders/order_date={{date}}/'),
  },
  {
    kind: 'a COPY source outside s3.prefixes.processed',
    text: edit(sample, 'source: "s3://{{bucket}}/{{prefixes.processed}}', 'source: "s3://{{bucket}}/curated/orders/'),
    at: 'source: "s3://',
    key: 'steps[2].copy.source',
    problem:
      's3://etl-data-lake/curated/orders/order_date={{date}}/ is not under s3://etl-data-lake/processed/orders/, so it disagrees ' +
      "with s3.prefixes.processed (processed/orders/): the load reads the Glue job's output, which lies under s3.prefixes.processed; " +
      'write it as "s3://{{bucket}}/{{prefixes.processed}}{{date}}/", or leave it out for the date\'s folder there',
  },
  {
    kind: "a Glue argument naming the pipeline's folder in another bucket",
    text: edit(sample, '--source_path: "s3://{{bucket}}/', '--source_path: "s3://old-lake/'),
    at: '--source_path',
    key: 'steps[1].arguments.--source_path',
    problem:
      's3://old-lake/validated/orders/{{date}}/ names s3.prefixes.validated (validated/orders/) in bucket old-lake, ' +
      'but s3.bucket is etl-data-lake: write it as "s3://{{bucket}}/{{prefixes.validated}}{{date}}/"',
  },
  {
    kind: 'a Glue output that is not what the load reads',
    text: edit(sample, '{{prefixes.processed}}order_date={{date}}/"   # what the load reads', '{{prefixes.processed}}{{date}}/"'),
    at: 'source: "s3://',
    key: 'steps[2].copy.source',
    problem: unwritten('s3://etl-data-lake/processed/orders/order_date={{date}}/'),
  },
  {
    kind: 'a bucket renamed in s3.bucket only, where the others write it out',
    text: edit(sample.replaceAll('s3://{{bucket}}/', 's3://etl-data-lake/'), 'bucket: etl-data-lake', 'bucket: etl-lake-eu'),
    at: '--source_path',
    key: 'steps[1].arguments.--source_path',
    problem:
      's3://etl-data-lake/validated/orders/{{date}}/ names s3.prefixes.validated (validated/orders/) in bucket etl-data-lake, ' +
      'but s3.bucket is etl-lake-eu: write it as "s3://{{bucket}}/{{prefixes.validated}}{{date}}/"',
  },
];

/** A COPY source no Glue step before the load writes. */
function unwritten(source: string): string {
  return (
    `no Glue step before it writes ${source}: none of their arguments names it (or a folder holding it). ` +
    `Point the Glue job's output argument there, or give the step that writes it output: "${source}"`
  );
}

test.each(cases)('$kind is refused with one line', ({ text, at, key, problem }) => {
  const { load, file } = loadText(text);

  expect(load).toThrow(ConfigError);
  expect(load).toThrow(new ConfigError(file, [{ line: lineOf(text, at), key, problem }]));
});

test.each([
  ['a poll interval of 1ms', edit(sample, '  pollInterval: 30s', '  pollInterval: 1ms')],
  // The step heartbeats while it waits between polls, so its heartbeat timeout need not outlast a poll interval.
  ['a heartbeat timeout of 10s, shorter than the poll interval', withGlueHeartbeat('10s')],
  ['a tab delimiter', withDelimiter('"\\t"')],
  ['prefixes that share only a beginning of a name', edit(sample, 'errors: errors/orders/', 'errors: raw/orders-errors/')],
  [
    'a Glue job writing the tree of date folders the COPY source is one of',
    edit(sample, '{{prefixes.processed}}order_date={{date}}/"   # what', '{{prefixes.processed}}"   # what'),
  ],
  [
    'a Glue job whose output, and the COPY source, are in a bucket of their own',
    edit(
      edit(sample, '--target_path: "s3://{{bucket}}/{{prefixes.processed}}', '--target_path: "s3://curated-lake/orders/'),
      'source: "s3://{{bucket}}/{{prefixes.processed}}',
      'source: "s3://curated-lake/orders/',
    ),
  ],
  [
    "Glue arguments in other buckets, outside the pipeline's folders",
    edit(sample, '    arguments:\n', '    arguments:\n      --extra-py-files: s3://glue-libraries/orders.zip\n'),
  ],
])('%s is accepted', (_, text) => {
  expect(loadText(text).load).not.toThrow();
});
