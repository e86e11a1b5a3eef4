import * as path from 'node:path';
import { loadAllPipelines, loadPipeline } from '../../src/config';
import { stepOf } from '../support/pipelines';
import { configDirWith, edit, sampleOrdersElsewhere, sampleOrdersYaml } from './pipelineFiles';

const projectRoot = path.join(__dirname, '../..');

describe('loadPipeline', () => {
  test('loads the sample orders pipeline with the values of the reference state machine', () => {
    const orders = loadPipeline('orders', path.join(projectRoot, 'config/pipelines'));
    const [validate, glue, load, refresh] = [stepOf(orders, 'validate'), stepOf(orders, 'glue'), stepOf(orders, 'load'), stepOf(orders, 'refresh')];

    expect(orders.name).toBe('orders');
    expect(orders.s3).toEqual({
      bucket: 'etl-data-lake',
      prefixes: { raw: 'raw/orders/', validated: 'validated/orders/', errors: 'errors/orders/', processed: 'processed/orders/' },
      redelivery: 'replace',
      ignore: ['_SUCCESS', '*.tmp'],
      ignoreEmptyFiles: true,
    });
    // The steps run in the file's order; each one's id is its kind, as none names one.
    expect(orders.steps.map((step) => [step.kind, step.id])).toEqual([
      ['validate', 'validate'],
      ['glue', 'glue'],
      ['load', 'load'],
      ['refresh', 'refresh'],
      ['notify', 'notify'],
    ]);
    expect(validate.contract.columns.map((column) => `${column.name}:${column.type}`)).toEqual([
      'order_id:string',
      'customer_id:string',
      'order_date:date',
      'order_amount:decimal(18,2)',
      'product_id:string',
      'created_at:timestamp',
      'order_status:string',
    ]);
    expect(glue.jobName).toBe('transform-orders');
    expect(glue.localScript).toBe(path.join(projectRoot, 'jobs/orders/transform_orders.py'));
    // The file writes the bucket and prefixes once; the rest name them by placeholder, replaced as it loads.
    expect(glue.arguments).toEqual({
      '--execution_date': '{{date}}',
      '--source_path': 's3://etl-data-lake/validated/orders/{{date}}/',
      '--target_path': 's3://etl-data-lake/processed/orders/order_date={{date}}/',
    });
    expect(orders.redshift).toEqual({
      workgroupName: 'analytics',
      database: 'dev',
      secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-etl',
      pollInterval: '5s',
      ddl: path.join(projectRoot, 'config/pipelines/orders.sql'),
    });
    expect(load).toMatchObject({
      mode: 'replace-date',
      table: 'public.fct_orders',
      dateColumn: 'order_date',
      copy: {
        source: 's3://etl-data-lake/processed/orders/order_date={{date}}/',
        format: 'parquet',
        iamRole: 'arn:aws:iam::123456789012:role/RedshiftCopyRole',
      },
    });
    // The Glue step clears the COPY source before a new run, so the load reads that run's output only.
    expect(glue.output).toBe(load.copy.source);
    expect(refresh.views).toEqual(['analytics.daily_sales', 'analytics.customer_metrics']);
    expect(orders.notifications.failureTopicArn).toBe('arn:aws:sns:us-east-1:123456789012:pipeline-failure');
    expect(orders.schedule).toEqual({
      cron: '0 8 * * *',
      timezone: 'UTC',
      dateOffsetDays: -1,
      overlap: 'skip',
      catchupWindow: '1d',
      jitter: '0s',
      pauseOnFailure: false,
    });
    expect(glue.options.startToCloseTimeout).toBe('6h');
    // Runs go to the shared task queue unless the pipeline names its own.
    expect(orders.taskQueue).toBe('etl-pipelines');
  });

  test('fills in the documented defaults for keys the file leaves out', () => {
    const { contract } = stepOf(loadPipeline('orders', path.join(projectRoot, 'config/pipelines')), 'validate');

    expect(contract).toMatchObject({ delimiter: ',', allowExtraColumns: true, maxReportedErrors: 20 });
    expect(contract.columns.find((column) => column.name === 'order_id')?.nullable).toBe(false);
    expect(contract.columns.find((column) => column.name === 'product_id')?.nullable).toBe(true);
  });

  test('reads a pipeline from a .yml file too', () => {
    const dir = configDirWith({ 'orders.yml': sampleOrdersYaml });

    expect(loadPipeline('orders', dir).name).toBe('orders');
  });
});

describe('placeholders', () => {
  const load = (text: string) => loadPipeline('orders', configDirWith({ 'orders.yaml': text }));

  test('the sample loads exactly as it did with the bucket and prefixes written out', () => {
    const writeOut = (text: string) =>
      text
        .replaceAll('{{bucket}}', 'etl-data-lake')
        .replaceAll('{{prefixes.validated}}', 'validated/orders/')
        .replaceAll('{{prefixes.processed}}', 'processed/orders/');

    expect(writeOut(sampleOrdersYaml)).not.toMatch(/\{\{(bucket|prefixes)/);
    expect(loadPipeline('orders', path.join(projectRoot, 'config/pipelines'))).toEqual(loadPipeline('orders', sampleOrdersElsewhere(writeOut)));
  });

  test('{{name}} works in the bucket and prefixes, which the other placeholders then carry', () => {
    const text = edit(
      edit(sampleOrdersYaml, '  bucket: etl-data-lake', '  bucket: "lake-{{name}}"'),
      'processed: processed/orders/',
      'processed: "processed/{{name}}/"',
    );

    const orders = load(text);

    expect(orders.s3.bucket).toBe('lake-orders');
    expect(orders.s3.prefixes.processed).toBe('processed/orders/');
    expect(stepOf(orders, 'load').copy.source).toBe('s3://lake-orders/processed/orders/order_date={{date}}/');
  });

  test('{{prefixes.archive}} is the default archive prefix when the file sets none', () => {
    const text = edit(sampleOrdersYaml, '--execution_date: "{{date}}"', '--execution_date: "{{date}}"\n      --archive: "s3://{{bucket}}/{{prefixes.archive}}"');

    expect(stepOf(load(text), 'glue').arguments['--archive']).toBe('s3://etl-data-lake/archive/orders/');
  });

  test("the COPY source defaults to the date's folder under the processed prefix", () => {
    const text = edit(
      edit(sampleOrdersYaml, '      source: "s3://{{bucket}}/{{prefixes.processed}}order_date={{date}}/"   # the Glue job\'s output\n', ''),
      'order_date={{date}}/"   # what the load reads',
      '{{date}}/"',
    );

    const orders = load(text);
    const { copy } = stepOf(orders, 'load');

    expect(copy.source).toBe('s3://etl-data-lake/processed/orders/{{date}}/');
    expect(stepOf(orders, 'glue').arguments['--target_path']).toBe(copy.source);
    expect(stepOf(orders, 'glue').output).toBe(copy.source);
  });
});

describe('loadAllPipelines', () => {
  test('loads every pipeline file in the folder, by name', () => {
    const dir = configDirWith({
      'orders.yaml': sampleOrdersYaml,
      'customers.yml': edit(sampleOrdersYaml, 'name: orders', 'name: customers'),
      'README.md': 'not a pipeline',
    });

    expect(loadAllPipelines(dir).map((pipeline) => pipeline.name)).toEqual(['customers', 'orders']);
  });

  test('finds the sample pipeline in the project folder by default', () => {
    expect(loadAllPipelines().map((pipeline) => pipeline.name)).toContain('orders');
  });
});

describe('defaultConfigDir', () => {
  const original = process.env.ETL_CONFIG_DIR;
  afterEach(() => {
    if (original === undefined) delete process.env.ETL_CONFIG_DIR;
    else process.env.ETL_CONFIG_DIR = original;
  });

  // The value is fixed when the module loads, so each case loads a fresh copy.
  function freshDefaultConfigDir(): string {
    let dir = '';
    jest.isolateModules(() => {
      dir = (require('../../src/config/load') as typeof import('../../src/config/load')).defaultConfigDir;
    });
    return dir;
  }

  test('is config/pipelines in the project folder', () => {
    delete process.env.ETL_CONFIG_DIR;

    expect(freshDefaultConfigDir()).toBe(path.join(projectRoot, 'config/pipelines'));
  });

  test('is ETL_CONFIG_DIR when set, resolved against the working directory', () => {
    process.env.ETL_CONFIG_DIR = 'elsewhere/pipelines';

    expect(freshDefaultConfigDir()).toBe(path.resolve('elsewhere/pipelines'));
  });
});
