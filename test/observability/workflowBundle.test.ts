import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { projectRoot } from '../../src/local/paths';
import { workflowCode, writeWorkflowBundle } from '../../src/worker/workflowBundle';
import { createTimeSkippingEnv } from '../support/temporal';

/**
 * The worker runs the bundle `npm run build` made while it is as new as the files it was built from, and bundles
 * the workflow code itself once one of them changed (with a warning): a workflow and an interceptor written
 * here, bundled, then changed, and what a run of the workflow returns says which code ran.
 */

let env: TestWorkflowEnvironment;
let work: string;
let workflowsPath: string;
let interceptorPath: string;
const bundleDir = () => join(work, 'bundle');

function writeWorkflow(greeting: string) {
  writeFileSync(workflowsPath, `exports.greet = async () => ${JSON.stringify(greeting)} + (globalThis.intercepted ?? '');\n`);
}

/** Files as old as they were before the bundle was built, so that a change alone does not make it stale. */
function backdate(path: string) {
  const past = new Date(Date.now() - 60_000);
  utimesSync(path, past, past);
}

function capturingLogger() {
  const lines: { msg: string; reason?: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

async function greetingFrom(code: ReturnType<typeof workflowCode>): Promise<string> {
  const taskQueue = `bundle-${Math.random()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: code.workflowBundle,
    workflowsPath: code.workflowsPath,
    interceptors: { workflowModules: code.workflowModules },
  });
  return worker.runUntil(env.client.workflow.execute('greet', { taskQueue, workflowId: taskQueue }));
}

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  // Inside the project, so that the workflow code resolves the project's node_modules.
  mkdirSync(join(projectRoot, '.local'), { recursive: true });
  work = mkdtempSync(join(projectRoot, '.local', 'workflow-bundle-'));
  workflowsPath = join(work, 'workflows.js');
  interceptorPath = join(work, 'interceptor.js');
  writeWorkflow('hello from the bundle');
  // A workflow interceptor module, as the pipeline's observability module is: the bundle must carry it.
  writeFileSync(interceptorPath, `globalThis.intercepted = ', intercepted';\nexports.interceptors = () => ({});\n`);
  await writeWorkflowBundle(bundleDir(), { workflowsPath, workflowModules: [interceptorPath] });
});

afterAll(async () => {
  await env?.teardown();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a bundle as new as its sources is what the worker runs, its interceptors inside', async () => {
  // Changed without a newer time: the prebuilt bundle, not this source, must be what runs.
  writeWorkflow('hello from the sources');
  backdate(workflowsPath);
  const { logger, lines } = capturingLogger();
  const code = workflowCode({ workflowsPath, workflowModules: [interceptorPath] }, logger, bundleDir());
  expect(await greetingFrom(code)).toBe('hello from the bundle, intercepted');
  expect(lines.some((l) => l.msg.includes('prebuilt workflow bundle not used'))).toBe(false);
});

test('a source changed after the bundle was built: the worker bundles the workflow code as it starts and warns why', async () => {
  writeWorkflow('hello from the changed sources');
  const { logger, lines } = capturingLogger();
  const code = workflowCode({ workflowsPath, workflowModules: [interceptorPath] }, logger, bundleDir());
  expect(await greetingFrom(code)).toBe('hello from the changed sources, intercepted');
  expect(lines.find((l) => l.msg.includes('prebuilt workflow bundle not used'))?.reason).toBe(
    `${workflowsPath} changed after ${join(bundleDir(), 'workflows.js')} was built`,
  );
});

test('a worker whose failures are encoded (payload encryption) does not take the bundle built without that converter', async () => {
  writeWorkflow('hello again');
  backdate(workflowsPath);
  const failureConverterPath = join(work, 'failureConverter.js');
  writeFileSync(failureConverterPath, `exports.failureConverter = new (require('@temporalio/common').DefaultFailureConverter)({ encodeCommonAttributes: true });\n`);
  const { logger } = capturingLogger();
  const code = workflowCode({ workflowsPath, workflowModules: [interceptorPath], failureConverterPath }, logger, bundleDir());
  expect(code.workflowBundle).toBeUndefined();
  expect(await greetingFrom(code)).toBe('hello again, intercepted');
});

test('npm run build leaves a fresh bundle of the pipeline workflows beside the compiled worker', () => {
  // The compiled module, as `etl worker` loads it: its workflows and bundle folder are the ones under lib/.
  const built: typeof import('../../src/worker/workflowBundle') = require(join(projectRoot, 'lib/worker/workflowBundle.js'));
  const { logger } = capturingLogger();
  expect(built.workflowCode(built.pipelineWorkflows, logger).workflowBundle).toEqual({ codePath: join(projectRoot, 'lib/workflow-bundle/workflows.js') });
  const encrypted = { ...built.pipelineWorkflows, failureConverterPath: join(projectRoot, 'lib/codec/failureConverter.js') };
  expect(built.workflowCode(encrypted, logger).workflowBundle).toEqual({ codePath: join(projectRoot, 'lib/workflow-bundle/workflows.failureConverter.js') });
});
