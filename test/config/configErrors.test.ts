import * as path from 'node:path';
import { ConfigError, loadAllPipelines, loadPipeline } from '../../src/config';
import { configDirWith, edit, lineOf, sampleOrdersYaml } from './pipelineFiles';

const sample = sampleOrdersYaml;

/** Writes `text` as `fileName` into a fresh folder, loads it, and returns the ConfigError that must follow. */
function loadingError(text: string, fileName = 'orders.yaml'): { error: ConfigError; file: string } {
  const dir = configDirWith({ [fileName]: text });
  return { error: configErrorFrom(() => loadPipeline(path.parse(fileName).name, dir)), file: path.join(dir, fileName) };
}

function configErrorFrom(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but loading succeeded');
}

describe('a broken value is reported as <file>:<line>: <key>: <problem>', () => {
  const cases = [
    {
      kind: 'an unknown key (typo)',
      text: edit(sample, '  jobName: transform-orders', '  jobname: transform-orders'),
      at: 'jobname:',
      key: 'steps[1].jobname',
      problem:
        'unknown key (expected one of: jobName, arguments, pollInterval, previousOutput, localScript, executionClass, workerType, numberOfWorkers, timeout, forTrigger, kind, id, options, output)',
    },
    {
      kind: 'an unknown step kind',
      text: edit(sample, '  - kind: glue', '  - kind: glu'),
      at: 'kind: glu',
      key: 'steps[1].kind',
      problem: 'unknown step kind "glu" (expected one of: validate, glue, load, sql, crawler, partitions, refresh, notify)',
    },
    {
      kind: 'a step without a kind (at the step)',
      text: edit(sample, '  - kind: refresh\n    views:\n', '  - views:\n'),
      at: '  - views:',
      key: 'steps[3].kind',
      problem: 'missing (expected one of: validate, glue, load, sql, crawler, partitions, refresh, notify)',
    },
    {
      kind: 'a wrong type',
      text: edit(sample, 'type: string, nullable: true', 'type: string, nullable: yes'),
      at: '{ name: product_id',
      key: 'steps[0].contract.columns[4].nullable',
      problem: 'must be true or false, not string "yes"',
    },
    {
      kind: 'text where a number belongs',
      text: edit(sample, 'dateOffsetDays: -1', 'dateOffsetDays: yesterday'),
      at: 'dateOffsetDays',
      key: 'schedule.dateOffsetDays',
      problem: 'must be a number, not string "yesterday"',
    },
    {
      kind: 'a bad task queue name',
      text: `${sample}taskQueue: heavy jobs\n`,
      at: 'taskQueue:',
      key: 'taskQueue',
      problem: 'must be a task queue name (letters, digits, ".", "_", "-")',
    },
    {
      kind: 'a bad IAM role ARN',
      text: edit(sample, 'iamRole: arn:aws:iam::123456789012:role/RedshiftCopyRole', 'iamRole: RedshiftCopyRole'),
      at: 'iamRole:',
      key: 'steps[2].copy.iamRole',
      problem: 'must be an iam ARN (arn:aws:iam:...)',
    },
    {
      kind: 'a missing required key (at its parent)',
      text: edit(sample, '  database: dev\n', ''),
      at: 'redshift:',
      key: 'redshift.database',
      problem: 'missing (expected a string)',
    },
    {
      kind: 'a missing key in a list item',
      text: edit(sample, '{ name: order_id, type: string }', '{ name: order_id }'),
      at: '{ name: order_id',
      key: 'steps[0].contract.columns[0].type',
      problem: 'missing (expected a string)',
    },
    {
      kind: 'an empty value',
      text: edit(sample, '  jobName: transform-orders', '  jobName: ""'),
      at: 'jobName:',
      key: 'steps[1].jobName',
      problem: 'must not be empty',
    },
    {
      kind: 'both clusterIdentifier and workgroupName',
      text: edit(sample, '  workgroupName: analytics\n', '  clusterIdentifier: analytics-cluster\n  workgroupName: analytics\n'),
      at: 'workgroupName:',
      key: 'redshift.workgroupName',
      problem: 'set clusterIdentifier (provisioned) or workgroupName (serverless), not both',
    },
    {
      kind: 'both secretArn and dbUser',
      text: edit(sample, '  database: dev\n', '  database: dev\n  dbUser: etl\n'),
      at: 'dbUser:',
      key: 'redshift.dbUser',
      problem: 'set secretArn or dbUser, not both',
    },
    {
      kind: 'a decimal precision above 38',
      text: edit(sample, 'decimal(18,2)', 'decimal(40,2)'),
      at: '{ name: order_amount',
      key: 'steps[0].contract.columns[3].type',
      problem: 'decimal(p,s) needs 1 <= p <= 38 and s <= p',
    },
    {
      kind: 'a malformed decimal type',
      text: edit(sample, 'decimal(18,2)', 'decimal(18)'),
      at: '{ name: order_amount',
      key: 'steps[0].contract.columns[3].type',
      problem: 'must be one of string, integer, decimal(p,s), date, timestamp, boolean',
    },
    {
      kind: 'a column listed twice',
      text: edit(sample, '{ name: product_id, type: string', '{ name: order_id, type: string'),
      at: 'order_id, type: string, nullable',
      key: 'steps[0].contract.columns[4].name',
      problem: 'column "order_id" is listed twice',
    },
    {
      kind: 'an unknown placeholder in a Glue argument',
      text: edit(sample, '{{prefixes.validated}}{{date}}/', '{{prefixes.validated}}{{dat}}/'),
      at: '--source_path',
      key: 'steps[1].arguments.--source_path',
      problem:
        'unknown placeholder {{dat}} (known placeholders: {{name}}, {{bucket}}, {{prefixes.raw}}, {{prefixes.validated}}, ' +
        '{{prefixes.errors}}, {{prefixes.processed}}, {{prefixes.archive}}, {{date}}, {{date_nodash}})',
    },
    {
      kind: 'a misspelt placeholder in the COPY source',
      text: edit(sample, 'source: "s3://{{bucket}}/', 'source: "s3://{{buckets}}/'),
      at: 'source: "s3://',
      key: 'steps[2].copy.source',
      problem:
        'unknown placeholder {{buckets}} (known placeholders: {{name}}, {{bucket}}, {{prefixes.raw}}, {{prefixes.validated}}, ' +
        '{{prefixes.errors}}, {{prefixes.processed}}, {{prefixes.archive}}, {{date}}, {{date_nodash}})',
    },
    {
      kind: 'a run placeholder where no run replaces it',
      text: edit(sample, '  jobName: transform-orders', '  jobName: transform-orders-{{date}}'),
      at: 'jobName:',
      key: 'steps[1].jobName',
      problem:
        'unknown placeholder {{date}} (known placeholders: {{name}}, {{bucket}}, {{prefixes.raw}}, {{prefixes.validated}}, ' +
        '{{prefixes.errors}}, {{prefixes.processed}}, {{prefixes.archive}}; {{date}}, {{date_nodash}} are replaced per run, ' +
        "only in a glue step's arguments and output, a load step's copy.source and a partitions step's values and location)",
    },
    {
      kind: 'a prefix made of another prefix',
      text: edit(sample, 'errors: errors/orders/', 'errors: "{{prefixes.raw}}errors/"'),
      at: 'errors: "{{',
      key: 's3.prefixes.errors',
      problem: 'unknown placeholder {{prefixes.raw}} (s3.bucket and s3.prefixes take only {{name}})',
    },
    {
      kind: 'a placeholder in the name',
      text: edit(sample, 'name: orders', 'name: "{{bucket}}"'),
      at: 'name: "{{bucket}}"',
      key: 'name',
      problem: 'unknown placeholder {{bucket}} (name takes no placeholders: write the pipeline name itself)',
    },
    {
      kind: 'a placeholder whose key is not set',
      text: edit(sample, '  bucket: etl-data-lake\n', ''),
      at: '--source_path',
      key: 'steps[1].arguments.--source_path',
      problem: '{{bucket}} stands for s3.bucket, which is not set: set s3.bucket',
    },
    {
      kind: 'an unclosed placeholder in the COPY source',
      text: edit(sample, 'order_date={{date}}/"   # the Glue', 'order_date={{date}/"   # the Glue'),
      at: 'source: "s3://',
      key: 'steps[2].copy.source',
      problem: 'unmatched "{{" (write placeholders as {{date}}, {{date_nodash}})',
    },
    {
      kind: 'a Glue argument name without "--"',
      text: edit(sample, '--execution_date:', 'execution_date:'),
      at: 'execution_date:',
      key: 'steps[1].arguments.execution_date',
      problem: 'Glue argument names start with "--"',
    },
    {
      kind: 'an unknown COPY format',
      text: edit(sample, 'format: parquet', 'format: orc'),
      at: 'format: orc',
      key: 'steps[2].copy.format',
      problem: 'must be one of "parquet", "csv", "json"',
    },
    {
      kind: 'an unknown time zone',
      text: edit(sample, 'timezone: UTC', 'timezone: Europe/Berln'),
      at: 'timezone:',
      key: 'schedule.timezone',
      problem: 'must be an IANA time zone such as "UTC" or "Europe/Berlin"',
    },
  ];

  test.each(cases)('$kind', ({ text, at, key, problem }) => {
    const { error, file } = loadingError(text);
    const line = lineOf(text, at);

    expect(error.message).toBe(`${file}:${line}: ${key}: ${problem}`);
    expect(error).toMatchObject({ file, line, key });
  });
});

describe('YAML the parser rejects is reported as <file>:<line>: <reason>', () => {
  test('a syntax error', () => {
    const text = edit(sample, 'description: Daily orders -', 'description: Daily orders:');
    const { error, file } = loadingError(text);

    expect(error.message).toBe(`${file}:${lineOf(text, 'description:')}: Nested mappings are not allowed in compact mappings`);
  });

  test('a key given twice, at its second occurrence', () => {
    const text = edit(sample, '    pollInterval: 30s\n', '    pollInterval: 30s\n    jobName: transform-orders-v2\n');
    const { error, file } = loadingError(text);

    expect(error.message).toBe(`${file}:${lineOf(text, 'transform-orders-v2')}: Map keys must be unique`);
  });

  test('two YAML documents in one file', () => {
    const text = `${sample}---\nname: customers\n`;
    const { error, file } = loadingError(text);

    expect(error.message).toBe(`${file}:${lineOf(text, '---')}: a pipeline file holds one YAML document; remove the second "---"`);
  });
});

describe('whole-file problems', () => {
  test.each([
    ['an empty file', ''],
    ['a file of comments only', '# orders: to be written\n'],
  ])('%s is reported at line 1', (_kind, text) => {
    const { error, file } = loadingError(text);

    expect(error.message).toBe(`${file}:1: the file is empty: expected a pipeline definition (name, s3, redshift, steps, ...)`);
  });

  test('a list instead of a mapping', () => {
    const { error, file } = loadingError('- orders\n');

    expect(error.message).toBe(`${file}:1: must be a mapping of keys, not a list`);
  });

  test('a name that differs from the file name', () => {
    const { error, file } = loadingError(sample, 'customers.yaml');

    expect(error.message).toBe(
      `${file}:${lineOf(sample, 'name: orders')}: name: is "orders" but the file is customers.yaml; a pipeline's name must match its file name`,
    );
  });
});

describe('several problems', () => {
  test('the message names the first in the file and `issues` keeps them all', () => {
    const text = edit(
      edit(sample, 'iamRole: arn:aws:iam::123456789012:role/RedshiftCopyRole', 'iamRole: RedshiftCopyRole'),
      '  jobName: transform-orders',
      '  jobname: transform-orders',
    );
    const { error, file } = loadingError(text);

    expect(error.message).toBe(
      `${file}:${lineOf(text, 'jobname')}: steps[1].jobname: unknown key (expected one of: jobName, arguments, pollInterval, previousOutput, localScript, executionClass, workerType, numberOfWorkers, timeout, forTrigger, kind, id, options, output)`,
    );
    expect(error.issues.map((issue) => `${issue.line}: ${issue.key}`)).toEqual([
      `${lineOf(text, 'jobname')}: steps[1].jobname`,
      `${lineOf(text, 'iamRole')}: steps[2].copy.iamRole`,
      `${lineOf(text, 'kind: glue')}: steps[1].jobName`,
    ]);
  });
});

describe('finding the pipeline file', () => {
  test('an unknown pipeline names the file it looked for and the pipelines there are', () => {
    const dir = configDirWith({ 'orders.yaml': sample });
    const error = configErrorFrom(() => loadPipeline('foo', dir));

    expect(error.message).toBe(`unknown pipeline "foo": no ${path.join(dir, 'foo.yaml')} (known pipelines: orders)`);
  });

  test('a file path inside the working directory is shown relative to it', () => {
    const dir = configDirWith({ 'orders.yaml': edit(sample, 'format: parquet', 'format: orc') });
    jest.spyOn(process, 'cwd').mockReturnValue(path.dirname(dir));
    const shownDir = path.basename(dir);

    expect(configErrorFrom(() => loadPipeline('foo', dir)).message).toBe(`unknown pipeline "foo": no ${shownDir}/foo.yaml (known pipelines: orders)`);
    expect(configErrorFrom(() => loadPipeline('orders', dir)).message).toMatch(new RegExp(`^${shownDir}/orders\\.yaml:\\d+: steps\\[2\\]\\.copy\\.format: `));
  });

  test('a missing config folder says how to point at the right one', () => {
    const dir = path.join(configDirWith({}), 'pipelines');

    expect(configErrorFrom(() => loadAllPipelines(dir)).message).toBe(
      `${dir}: no such directory; set ETL_CONFIG_DIR to the folder that holds the pipeline YAML files`,
    );
  });

  test('the same pipeline in a .yaml and a .yml file is refused', () => {
    const dir = configDirWith({ 'orders.yaml': sample, 'orders.yml': sample });

    expect(configErrorFrom(() => loadPipeline('orders', dir)).message).toBe(
      `${path.join(dir, 'orders.yml')}: defines pipeline "orders" again (${path.join(dir, 'orders.yaml')} already does); keep one of the two files`,
    );
  });
});

afterEach(() => jest.restoreAllMocks());
