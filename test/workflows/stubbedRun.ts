import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { PipelineActivities } from '../../src/activities';
import type { NotificationInput } from '../../src/activities/notify/activity';
import { createRunInputActivities } from '../../src/activities/runInput';
import type { FinishValidationInput } from '../../src/activities/validation/activity';
import type { PipelineConfig } from '../../src/config/schema';
import type { PipelineRunInput } from '../../src/shared/pipelineRun';
import { pipelineRun, progressQuery } from '../../src/workflows';
import { stepOf } from '../support/pipelines';

/** Every activity of a run that succeeds, in order, as its steps call them. */
export const allSteps = [
  'planValidationRound',
  'validateFiles',
  'startGlueJobRun',
  'waitForGlueJobRun',
  'confirmNoFilesLanded',
  'submitLoad',
  'waitForLoad',
  'submitViewRefresh',
  'waitForViewRefresh',
];

/**
 * Activities that succeed, recording every call (notifications apart); individual tests replace some of them.
 * The validate step's outcome is validateFiles' answer on either path: the fanned-out step finds no files to
 * check and finishes with it, so a test stubs a date's validation in one place.
 */
export function stubActivities(pipeline: PipelineConfig, overrides: Partial<PipelineActivities> = {}) {
  const calls: { name: string; input: unknown }[] = [];
  const notifications: NotificationInput[] = [];
  const record =
    <R>(name: string, result: R) =>
    async (arg: unknown) => {
      calls.push({ name, input: arg });
      return result;
    };
  const activities: PipelineActivities = {
    validateFiles: record('validateFiles', { files: [], rowsValidated: 6, previouslyValidatedFiles: 0 }),
    planValidationRound: record('planValidationRound', { batches: [], ignoredFiles: [], setAsideFiles: [] }),
    validateFileBatch: record('validateFileBatch', []),
    finishValidation: ({ files: _files, setAsideFiles: _setAside, ignoredFiles: _ignored, ...dateFiles }: FinishValidationInput) =>
      activities.validateFiles({ ...dateFiles, contract: stepOf(pipeline, 'validate').contract }),
    startGlueJobRun: record('startGlueJobRun', { jobRunId: 'jr_1', jobName: 'transform-orders', adopted: false }),
    waitForGlueJobRun: record('waitForGlueJobRun', { executionTimeSeconds: 30, dpuSeconds: 60 }),
    stopGlueJobRun: record('stopGlueJobRun', undefined),
    confirmNoFilesLanded: record('confirmNoFilesLanded', undefined),
    submitLoad: record('submitLoad', { statementId: 'st-1' }),
    waitForLoad: record('waitForLoad', { statementId: 'st-1', statements: ['DELETE', 'COPY'] }),
    submitViewRefresh: record('submitViewRefresh', { statementId: 'st-2' }),
    waitForViewRefresh: record('waitForViewRefresh', { statementId: 'st-2', viewsRefreshed: stepOf(pipeline, 'refresh').views }),
    cancelStatement: record('cancelStatement', undefined),
    ...createRunInputActivities(),
    sendNotification: async (n: NotificationInput) => {
      notifications.push(n);
      return { messageId: `m-${notifications.length}` };
    },
    ...overrides,
  } as PipelineActivities;
  return { activities, calls, notifications };
}

/**
 * Runs a date's run (as `workflow`, pipelineRun unless told) on a worker with the given activities until it ends;
 * `whileRunning` acts on the run meanwhile (cancels it, say). Returns its result or error, its final progress and
 * how many events its history holds.
 */
export function stubbedRunner(env: TestWorkflowEnvironment, workflow: typeof pipelineRun = pipelineRun) {
  return async (activities: PipelineActivities, input: PipelineRunInput, whileRunning?: (handle: WorkflowHandle<typeof pipelineRun>) => Promise<void>) => {
    const taskQueue = `test-${Math.random()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../src/workflows'),
      activities,
      maxHeartbeatThrottleInterval: '1s',
    });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(workflow, { taskQueue, workflowId: `wf-${Math.random()}`, args: [input] });
      await whileRunning?.(handle);
      const outcome = await handle.result().then(
        (result) => ({ result, error: undefined }),
        (error: unknown) => ({ result: undefined, error }),
      );
      const { events } = await handle.fetchHistory();
      return { ...outcome, progress: await handle.query(progressQuery), historyEvents: events?.length ?? 0 };
    });
  };
}
