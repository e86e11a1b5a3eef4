import * as path from 'node:path';
import { ConfigError, loadPipeline } from '../../src/config';
import { runInputProblem } from '../../src/config/runInput';
import { configDirWith, edit, lineOf, sampleOrdersYaml } from '../config/pipelineFiles';
import { stepOf } from '../support/pipelines';

/** The sample pipeline with its contract's format (and the lines after it) replaced. */
const withFormat = (lines: string) => edit(sampleOrdersYaml, '      format: csv\n', lines);

function loadText(text: string) {
  const dir = configDirWith({ 'orders.yaml': text });
  return { load: () => loadPipeline('orders', dir), file: path.join(dir, 'orders.yaml') };
}

describe('contract.format', () => {
  it.each(['jsonl', 'parquet'])('takes %s with the same columns and types, and a run checks the loaded config again', (format) => {
    const pipeline = loadText(withFormat(`      format: ${format}\n`)).load();

    expect(stepOf(pipeline, 'validate').contract).toMatchObject({ format, columns: stepOf(loadPipeline('orders'), 'validate').contract.columns });
    expect(runInputProblem({ pipeline, date: '2024-01-15', trigger: 'manual' })).toBeUndefined();
  });

  it('refuses a delimiter for a format without one, with one line naming file, line and key', () => {
    const text = withFormat('      format: jsonl\n      delimiter: "|"\n');
    const { load, file } = loadText(text);

    expect(load).toThrow(
      new ConfigError(file, [
        {
          line: lineOf(text, 'delimiter: "|"'),
          key: 'steps[0].contract.delimiter',
          problem: 'only a csv contract has a delimiter; a jsonl file has none: remove the delimiter',
        },
      ]),
    );
  });

  it('refuses a format it cannot check, naming those it can', () => {
    const text = withFormat('      format: orc\n');
    const { load, file } = loadText(text);

    expect(load).toThrow(
      new ConfigError(file, [{ line: lineOf(text, 'format: orc'), key: 'steps[0].contract.format', problem: 'must be one of "csv", "jsonl", "parquet"' }]),
    );
  });
});
