import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';
import type pino from 'pino';

// Bundling the workflow code (webpack) when a worker starts takes seconds and leaves about 90 MB in the
// worker's memory for as long as it runs. `npm run build` bundles it once instead, as Temporal recommends for
// production, and a worker takes that bundle when it is at least as new as every file it was built from.

/** The workflows a pipeline worker runs, and the interceptors every one of them gets (log fields, metrics). */
export const pipelineWorkflows = {
  workflowsPath: require.resolve('../workflows'),
  workflowModules: [require.resolve('../workflows/observability')],
};

/** Where `npm run build` puts the bundles: beside the compiled code they are built from (none under ts sources). */
export const prebuiltBundleDir = join(__dirname, '..', 'workflow-bundle');

/**
 * What a worker runs, as Worker options: the prebuilt bundle (its interceptors inside), or the workflows and
 * their interceptor modules, bundled when it starts.
 */
export interface WorkflowCode {
  workflowBundle?: { codePath: string };
  workflowsPath?: string;
  workflowModules: string[];
}

interface Workflows {
  workflowsPath: string;
  workflowModules: string[];
  /** The workflow side of the worker's data converter: part of the bundle (see dataConverterFromEnv). */
  failureConverterPath?: string;
}

/** What a bundle was built from, beside it; paths relative to the bundle's folder, so a copied tree keeps working. */
interface BundleManifest {
  sources: string[];
}

/** One bundle per failure converter: with payload encryption on, failures are encoded inside the workflow sandbox too. */
function bundlePaths(dir: string, failureConverterPath: string | undefined) {
  const name = failureConverterPath ? `workflows.${basename(failureConverterPath).replace(/\.[cm]?[jt]s$/, '')}` : 'workflows';
  return { codePath: join(dir, `${name}.js`), manifestPath: join(dir, `${name}.json`) };
}

/** Bundles the workflows into `dir`, with the list of files it was built from beside it. */
export async function writeWorkflowBundle(
  dir: string,
  { workflowsPath, workflowModules, failureConverterPath }: Workflows,
  logger?: BundleOptions['logger'],
): Promise<string> {
  // The files of the code tree (lib/ or src/) webpack read: not node_modules, not the ts sources the compiled
  // files' source maps point to, not folders or the entry point webpack generates in memory.
  const codeTree = dirname(dirname(workflowsPath));
  const inCodeTree = (file: string) => !relative(codeTree, file).startsWith('..') && !file.includes('node_modules') && existsSync(file) && statSync(file).isFile();
  const sources = new Set<string>();
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: workflowModules,
    failureConverterPath,
    logger,
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [
        ...(config.plugins ?? []),
        {
          apply: (compiler) =>
            compiler.hooks.afterCompile.tap('workflow-bundle-sources', (compilation) => {
              for (const file of compilation.fileDependencies) if (inCodeTree(file)) sources.add(file);
            }),
        },
      ],
    }),
  });
  const { codePath, manifestPath } = bundlePaths(dir, failureConverterPath);
  const manifest: BundleManifest = { sources: [...sources].map((file) => relative(dir, file)).sort() };
  mkdirSync(dir, { recursive: true });
  // Renamed into place, so that a worker starting meanwhile reads a whole bundle (the old or the new one).
  const written = (path: string, text: string) => {
    writeFileSync(`${path}.${process.pid}.tmp`, text);
    renameSync(`${path}.${process.pid}.tmp`, path);
  };
  written(codePath, code);
  written(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return codePath;
}

/** Why the bundle at `codePath` cannot serve these workflows, or undefined when it can. */
function staleness(dir: string, manifest: BundleManifest, codePath: string, workflows: Workflows): string | undefined {
  const sources = manifest.sources.map((path) => resolve(dir, path));
  const needed = [workflows.workflowsPath, ...workflows.workflowModules, ...(workflows.failureConverterPath ? [workflows.failureConverterPath] : [])];
  const missing = needed.find((module) => !sources.includes(module));
  if (missing) return `${codePath} was built without ${missing}`;
  const builtAt = statSync(codePath).mtimeMs;
  for (const source of sources) {
    if (!existsSync(source)) return `${source}, which ${codePath} was built from, is gone`;
    if (statSync(source).mtimeMs > builtAt) return `${source} changed after ${codePath} was built`;
  }
  return undefined;
}

/**
 * The prebuilt bundle in `dir` when it is as new as its sources and has the same interceptors and failure
 * converter; otherwise the workflows themselves, which the worker bundles as it starts (tests on ts sources,
 * a build that did not finish). A stale bundle is said in a warning: running old workflow code would be worse.
 */
export function workflowCode(workflows: Workflows, logger: pino.Logger, dir = prebuiltBundleDir): WorkflowCode {
  const { codePath, manifestPath } = bundlePaths(dir, workflows.failureConverterPath);
  const atStart = { workflowsPath: workflows.workflowsPath, workflowModules: workflows.workflowModules };
  if (!existsSync(manifestPath) || !existsSync(codePath)) {
    logger.debug({ workflowsPath: workflows.workflowsPath }, 'no prebuilt workflow bundle: bundling the workflow code as the worker starts');
    return atStart;
  }
  const reason = staleness(dir, JSON.parse(readFileSync(manifestPath, 'utf8')) as BundleManifest, codePath, workflows);
  if (reason) {
    logger.warn({ reason }, 'prebuilt workflow bundle not used: bundling the workflow code as the worker starts (npm run build makes a fresh bundle)');
    return atStart;
  }
  logger.debug({ workflowBundle: codePath }, 'workflow code from the prebuilt bundle');
  return { workflowBundle: { codePath }, workflowModules: [] };
}
