import { patched, proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import type { PipelineConfig, StepOf } from '../config/schema';
import { dateFilesInput, fileCheckInput, glueStartInput, loadInput, refreshInput } from '../shared/activityInputs';
import { glueRunKey } from '../shared/ids';
import type { Trigger } from '../shared/pipelineRun';
import type { StepKind } from '../shared/steps';
import type { StepOutput } from './lifecycle';
import { describeCrawler, describeGlue, describeLoad, describePartition, describeRefresh, describeSql, describeValidation } from './stepDetails';
import { validateStep } from './validateStep';
import { crawlerStep, glueStep, loadStep, refreshStep, sqlStep } from './waitingSteps';

// How each kind of step runs inside a pipeline run: what its activities are told, how its progress and its result
// read. The run (./pipeline) takes the steps of the pipeline's list in order and hands each to its kind here.

/** What a step runs with: the run's pipeline and date, and a way to say what it is doing now. */
export interface StepContext {
  pipeline: PipelineConfig;
  date: string;
  trigger: Trigger;
  /** Replaces the run's current details while the step goes. */
  showDetails: (what: string) => void;
  /** The run's steps so far, one line each: what a notification reports. */
  details: () => string[];
}

interface KindRun<K extends StepKind> {
  /** One line saying what the step is about to do: the activity summary and the run's current details. */
  summary(step: StepOf<K>, context: StepContext): string;
  run(step: StepOf<K>, context: StepContext, options: ActivityOptions): Promise<StepOutput[K]>;
  /** One line saying what the step did. */
  describe(result: StepOutput[K]): string;
}

const acts = (options: ActivityOptions) => proxyActivities<PipelineActivities>(options);

// Each `patched` below keeps runs recorded before its change replaying as they ran.
export const stepRuns: { [K in StepKind]: KindRun<K> } = {
  validate: {
    summary: (_step, { pipeline, date }) => `check s3://${pipeline.s3.bucket}/${pipeline.s3.prefixes.raw}${date}/ against the file contract`,
    run: (step, { pipeline, date, showDetails }, options) =>
      patched('validate-fans-out') ? validateStep(pipeline, step, date, showDetails) : acts(options).validateFiles(fileCheckInput(pipeline, step, date)),
    describe: describeValidation,
  },
  glue: {
    summary: (step, { date }) => `run Glue job ${step.jobName} for ${date}`,
    run(step, context, options) {
      const { pipeline, date, trigger, showDetails } = context;
      const { workflowId, runId } = workflowInfo();
      // The first Glue step keeps the run key runs had before a pipeline could have several.
      const runKey = step.id === 'glue' ? glueRunKey(workflowId, runId) : `${glueRunKey(workflowId, runId)}/${step.id}`;
      return patched('glue-waits-without-slot')
        ? glueStep({ pipeline, step, date }, { runKey, trigger }, this.summary(step, context), showDetails)
        : acts(options).runGlueJob({ ...glueStartInput(pipeline, step, date, runKey, trigger), pollInterval: step.pollInterval });
    },
    describe: describeGlue,
  },
  load: {
    summary: (step, { date }) => `replace ${step.table} rows for ${date} in one transaction, through a checked staging table`,
    async run(step, context, options) {
      const { pipeline, date, showDetails } = context;
      // Files landing after validation are not in the Glue output: loading it would call the date complete.
      if (patched('files-landed-before-load')) await acts(options).confirmNoFilesLanded(dateFilesInput(pipeline, date));
      return patched('load-waits-without-slot')
        ? loadStep({ pipeline, step, date }, this.summary(step, context), showDetails)
        : acts(options).loadToRedshift(loadInput(pipeline, step, date));
    },
    describe: describeLoad,
  },
  sql: {
    summary: (step) => `run ${step.statements.length} statement(s)${step.check ? ' and a data quality check' : ''} in one transaction`,
    run(step, context) {
      const { pipeline, date, showDetails } = context;
      return sqlStep({ pipeline, step, date }, this.summary(step, context), showDetails);
    },
    describe: describeSql,
  },
  crawler: {
    summary: (step) => `run Glue crawler ${step.name}`,
    run(step, context) {
      const { pipeline, date, showDetails } = context;
      return crawlerStep({ pipeline, step, date }, this.summary(step, context), showDetails);
    },
    describe: describeCrawler,
  },
  partitions: {
    summary: (step, { date }) => `register the ${date} partition of ${step.database}.${step.table}`,
    run: (step, { pipeline, date }, options) =>
      acts(options).registerPartition({
        pipelineName: pipeline.name,
        date,
        database: step.database,
        table: step.table,
        values: step.values,
        location: step.location,
      }),
    describe: describePartition,
  },
  refresh: {
    summary: (step) => `refresh ${step.views.length} materialized view(s)`,
    run(step, context, options) {
      const { pipeline, date, showDetails } = context;
      return patched('refresh-waits-without-slot')
        ? refreshStep({ pipeline, step, date }, this.summary(step, context), showDetails)
        : acts(options).refreshViews(refreshInput(pipeline, step.views, date));
    },
    describe: describeRefresh,
  },
  notify: {
    summary: (_step, { pipeline }) => `publish success to ${pipeline.notifications.successTopicArn}`,
    run: async (_step, { pipeline, date, trigger, details }, options) => {
      await acts(options).sendNotification({
        pipelineName: pipeline.name,
        date,
        trigger,
        outcome: 'succeeded',
        topicArn: pipeline.notifications.successTopicArn,
        details: details(),
      });
    },
    describe: () => 'success notification sent',
  },
};
