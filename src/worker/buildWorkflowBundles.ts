import { logger, temporalLogger } from './logging';
import { pipelineWorkflows, prebuiltBundleDir, writeWorkflowBundle } from './workflowBundle';

// Run by `npm run build` after tsc, on the compiled code: the pipeline workflows bundled once, without and with
// the failure converter that payload encryption adds (see dataConverterFromEnv), so no worker bundles at start.
const failureConverters = [undefined, require.resolve('../codec/failureConverter')];

// Quiet unless something is wrong: `npm run build` prints nothing when it works.
const bundlerLogger = temporalLogger(logger.child({}, { level: 'warn' }));

async function build() {
  for (const failureConverterPath of failureConverters) {
    const codePath = await writeWorkflowBundle(prebuiltBundleDir, { ...pipelineWorkflows, failureConverterPath }, bundlerLogger);
    logger.debug({ workflowBundle: codePath }, 'workflow bundle written');
  }
}

build().catch((err) => {
  logger.error({ error: err }, 'bundling the workflow code failed');
  process.exit(1);
});
