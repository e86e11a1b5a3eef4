import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../shared/projectRoot';
import { ConfigError, displayPath, type ConfigIssue } from './configError';
import { contradictions } from './consistency';
import { expandPlaceholders } from './placeholders';
import { parsePipeline, type PipelineConfig, type Problem } from './schema';
import { keyPath, toConfigIssues, yamlWording } from './schemaIssues';
import { parseYaml, type YamlSource } from './yamlSource';

/** Where pipeline definitions live: $ETL_CONFIG_DIR if set, else <project root>/config/pipelines. */
export const defaultConfigDir: string = process.env.ETL_CONFIG_DIR ? path.resolve(process.env.ETL_CONFIG_DIR) : path.join(projectRoot, 'config', 'pipelines');

const extensions = ['.yaml', '.yml'];

/** Pipeline name -> its file, for every YAML file in `configDir`. */
function pipelineFiles(configDir: string): Map<string, string> {
  let entries: string[];
  try {
    entries = fs.readdirSync(configDir).sort();
  } catch (error) {
    if (!['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    throw new ConfigError(configDir, [{ problem: 'no such directory; set ETL_CONFIG_DIR to the folder that holds the pipeline YAML files' }]);
  }
  const files = new Map<string, string>();
  for (const entry of entries) {
    const extension = path.extname(entry);
    if (!extensions.includes(extension)) continue;
    const name = path.basename(entry, extension);
    const file = path.join(configDir, entry);
    const earlier = files.get(name);
    if (earlier) {
      throw new ConfigError(file, [{ problem: `defines pipeline "${name}" again (${displayPath(earlier)} already does); keep one of the two files` }]);
    }
    files.set(name, file);
  }
  return files;
}

function unknownPipeline(name: string, configDir: string, known: string[]): ConfigError {
  const expected = path.join(configDir, `${name}.yaml`);
  const knownList = known.join(', ') || 'none';
  const problem = `unknown pipeline ${JSON.stringify(name)}: no ${displayPath(expected)} (known pipelines: ${knownList})`;
  return new ConfigError(expected, [{ problem }], problem);
}

/** Reads and validates `<configDir>/<name>.yaml` (or `.yml`); any problem is a ConfigError naming file, line and key. */
export function loadPipeline(name: string, configDir: string = defaultConfigDir): PipelineConfig {
  const files = pipelineFiles(configDir);
  const file = files.get(name);
  if (!file) throw unknownPipeline(name, configDir, [...files.keys()]);

  const source = parseYaml(file, fs.readFileSync(file, 'utf8'));
  const expanded = expandPlaceholders(source.data);
  if (expanded.problems.length > 0) throw new ConfigError(file, located(expanded.problems, source));
  const result = parsePipeline(expanded.data, { error: yamlWording });
  if (!result.success) throw new ConfigError(file, toConfigIssues(result.error.issues, source.locate));
  const { pipeline, locate } = result.data;
  if (pipeline.name !== name) {
    const problem = `is ${JSON.stringify(pipeline.name)} but the file is ${path.basename(file)}; ` + "a pipeline's name must match its file name";
    throw new ConfigError(file, [{ line: source.locate(['name']).line, key: 'name', problem }]);
  }
  const disagreements = contradictions(pipeline, locate);
  if (disagreements.length > 0) throw new ConfigError(file, located(disagreements, source));
  return withFilesResolved(pipeline, file);
}

/** In file order, so the message names the first. */
function located(problems: Problem[], source: YamlSource): ConfigIssue[] {
  return problems.map(({ path, message }) => ({ line: source.locate(path).line, key: keyPath(path), problem: message })).sort((a, b) => a.line - b.line);
}

/**
 * The config's own files (a glue step's localScript, redshift.ddl), named relative to it, become absolute paths: a run
 * carries them, so whoever reads them later finds them whatever its working folder. Only the local stack reads
 * them, so it is the one that says when one is missing; a config for real AWS loads without them.
 */
function withFilesResolved(pipeline: PipelineConfig, file: string): PipelineConfig {
  const resolve = (relative: string) => path.resolve(path.dirname(file), relative);
  const ddl = pipeline.redshift?.ddl;
  return {
    ...pipeline,
    ...(pipeline.redshift && { redshift: { ...pipeline.redshift, ...(ddl && { ddl: resolve(ddl) }) } }),
    steps: pipeline.steps.map((step) => (step.kind === 'glue' && step.localScript ? { ...step, localScript: resolve(step.localScript) } : step)),
  };
}

/** Every pipeline in `configDir`, by name; stops at the first file with a problem. */
export function loadAllPipelines(configDir: string = defaultConfigDir): PipelineConfig[] {
  return [...pipelineFiles(configDir).keys()].map((name) => loadPipeline(name, configDir));
}
