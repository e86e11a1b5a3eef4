import { Option } from 'commander';

/** The options several commands share, spelled and explained the same everywhere. */
export const pipelineOption = () => new Option('-p, --pipeline <name>', 'pipeline name (a file in the config folder)').makeOptionMandatory();
export const waitOption = () => new Option('-w, --wait', 'wait for the run, printing each step as it finishes').default(false);
export const jsonOption = () => new Option('--json', 'print one JSON document instead of text').default(false);
export const configDirOption = () => new Option('--config-dir <dir>', 'folder of pipeline YAML files').env('ETL_CONFIG_DIR').default(undefined, 'config/pipelines');
