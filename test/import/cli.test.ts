import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { configDirWith, lineOf } from '../config/pipelineFiles';
import { loadPipeline } from '../../src/config/load';
import type { PipelineConfig } from '../../src/config/schema';
import { etl } from '../support/etl';

const fixtures = path.join(__dirname, 'fixtures');
const seedFile = path.join(fixtures, 'daily-etl.asl.json');
const seedText = fs.readFileSync(seedFile, 'utf8');
const mappingFile = path.join(fixtures, 'orders-mapping.yaml');

test('the seed with its mapping: the pipeline file is written, every state mapped, exit 0', () => {
  const output = path.join(configDirWith({}), 'orders.yaml');
  const { code, stdout, stderr } = etl(['import', 'step-functions', seedFile, '--mapping', mappingFile, '--output', output]);
  expect([code, stderr]).toEqual([0, '']);
  expect(stdout).toMatch(/^Wrote .*orders\.yaml: 5 step\(s\) \(validate, glue, load, refresh, notify\) from 6 state\(s\)\.\n$/);
  const written = fs.readFileSync(output, 'utf8');
  expect(written).not.toContain('TODO');
  const pipeline = parse(written) as { name: string; steps: { kind: string; jobName?: string }[] };
  expect(pipeline.name).toBe('orders');
  expect(pipeline.steps[1]).toMatchObject({ kind: 'glue', jobName: 'transform-orders' });

  // Loaded, it is the sample pipeline, up to what the state machine cannot say: the local stack's files, and the
  // topics' account, which the seed writes as 123456789.
  const comparable = ({ steps, redshift, notifications, ...rest }: PipelineConfig) => ({
    ...rest,
    redshift: { ...redshift, ddl: undefined },
    notifications: Object.fromEntries(Object.entries(notifications).map(([key, arn]) => [key, arn.split(':').pop()])),
    steps: steps.map((step) => (step.kind === 'glue' ? { ...step, localScript: undefined } : step)),
  });
  expect(comparable(loadPipeline('orders', path.dirname(output)))).toEqual(comparable(loadPipeline('orders')));
});

test('without a mapping: written to the config folder under the file name, TODOs listed with their lines, exit 3; never overwritten', () => {
  const configDir = configDirWith({});
  const { code, stdout, stderr } = etl(['import', 'step-functions', seedFile, '--config-dir', configDir]);
  expect(code).toBe(3);
  const written = path.join(configDir, 'daily-etl.yaml');
  expect(stdout).toContain(`Wrote ${written}: 5 step(s)`);
  const lines = stderr.trim().split('\n');
  expect(lines[0]).toBe(`7 thing(s) could not be mapped; each is marked TODO(import) in ${written}, which is refused until they are resolved:`);
  const shown = path.relative(process.cwd(), seedFile);
  expect(lines).toContain(
    `  ${shown}:${lineOf(seedText, '"ValidateFiles": {')}: ValidateFiles: steps[0].contract: the file contract (format, columns) the Lambda checks: give it as lambdas.validate-files.contract in a mapping file (--mapping)`,
  );
  expect(lines).toContain(
    `  ${shown}:${lineOf(seedText, '"RefreshViews": {')}: RefreshViews: steps[3].views: the materialized views the Lambda refreshes: give it as lambdas.refresh-views.views in a mapping file (--mapping)`,
  );
  expect(fs.readFileSync(written, 'utf8')).toContain('contract: "TODO: the file contract (format, columns) the Lambda checks"');
  expect(() => loadPipeline('daily-etl', configDir)).toThrow(/TODO/);

  const again = etl(['import', 'step-functions', seedFile, '--config-dir', configDir]);
  expect([again.code, again.stderr.trim()]).toEqual([
    2,
    `etl: ${written} already exists: give --output to write elsewhere or over it, or --name for another pipeline name`,
  ]);
});

test('--output - writes the YAML to standard output and the summary to standard error', () => {
  const { code, stdout, stderr } = etl(['import', 'step-functions', seedFile, '--mapping', mappingFile, '--name', 'daily_orders', '--output', '-']);
  expect(code).toBe(0);
  expect((parse(stdout) as { name: string }).name).toBe('daily_orders');
  expect(stderr).toContain('Wrote the pipeline to standard output: 5 step(s)');
});

test.each([
  ['not JSON', '{ "StartAt": "A", ', /^etl: .*machine\.json: not JSON/],
  ['not ASL', '{ "Comment": "no states" }', /^etl: .*machine\.json: not an Amazon States Language definition/],
  [
    'a Next to no state',
    '{\n  "StartAt": "A",\n  "States": {\n    "A": { "Type": "Pass", "Next": "B" }\n  }\n}',
    /^etl: .*machine\.json:4: state "A" goes to "B", which is not one of the states$/,
  ],
  [
    'a cycle',
    '{\n  "StartAt": "A",\n  "States": {\n    "A": { "Type": "Pass", "Next": "B" },\n    "B": { "Type": "Pass", "Next": "A" }\n  }\n}',
    /^etl: .*machine\.json:4: the states go round in a cycle \(A -> B -> A\)/,
  ],
])('%s exits 2 with one line and writes nothing', (_case, text, message) => {
  const dir = configDirWith({ 'machine.json': text });
  const { code, stdout, stderr } = etl(['import', 'step-functions', path.join(dir, 'machine.json'), '--config-dir', dir]);
  expect([code, stdout]).toEqual([2, '']);
  expect(stderr.trim()).toMatch(message);
  expect(fs.readdirSync(dir)).toEqual(['machine.json']);
});

test('a mapping file with a mistake exits 2 naming its line and key', () => {
  const dir = configDirWith({ 'mapping.yaml': 'name: orders\nlambda:\n  validate-files: { kind: validate }\n' });
  const { code, stderr } = etl(['import', 'step-functions', seedFile, '--mapping', path.join(dir, 'mapping.yaml'), '--output', '-']);
  expect(code).toBe(2);
  expect(stderr.trim()).toMatch(/^etl: .*mapping\.yaml:2: lambda: unknown key \(expected one of: name, description, s3, redshift, schedule, lambdas, states\)$/);
});

test.each([
  [
    'states:\n  RunGlue: { pollInterval: 1m }\n',
    'states.RunGlue: the state machine has no state "RunGlue" (its states: ValidateFiles, RunGlueJob, LoadToRedshift, RefreshViews, SendNotification, HandleError)',
  ],
  [
    'lambdas:\n  validate_files: { kind: validate }\n',
    'lambdas.validate_files: no state calls a Lambda function "validate_files" (the functions it calls: validate-files, load-redshift, refresh-views)',
  ],
])('a mapping that names what the state machine does not have exits 2: %p', (text, message) => {
  const dir = configDirWith({ 'mapping.yaml': text });
  const { code, stderr } = etl(['import', 'step-functions', seedFile, '--mapping', path.join(dir, 'mapping.yaml'), '--output', '-']);
  expect(code).toBe(2);
  expect(stderr).toContain(message);
});

test('a bad --name exits 2', () => {
  const { code, stderr } = etl(['import', 'step-functions', seedFile, '--name', 'Daily ETL', '--output', '-']);
  expect(code).toBe(2);
  expect(stderr).toContain('--name is "Daily ETL": a pipeline name is lower-case letters, digits, "-" or "_", starting with a letter');
});
