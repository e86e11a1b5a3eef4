import { MockActivityEnvironment } from '@temporalio/testing';
import { loadPipeline } from '../../src/config/load';
import type { PipelineConfig } from '../../src/config/schema';
import { createValidationActivities, type RoundPlan, type ValidationProgress } from '../../src/activities/validation/activity';
import { batchesOf } from '../../src/activities/validation/roundPlan';
import { batchLimits, dateFilesInput, fileCheckInput } from '../../src/shared/activityInputs';
import type { FileValidation, ValidationResult } from '../../src/shared/stepResults';
import { createBucket, listKeys, putObject, startLocalAws, type LocalAws } from '../support/aws';
import { legacyPipeline } from '../support/legacyPipelines';
import { stepOf, withStep } from '../support/pipelines';
import { validateAsRun } from '../support/validation';
import { ordersHeader } from '../support/orderFiles';

// The validate step in the parts a workflow fans out: a round's plan, batches checked apart (as different
// workers would), and the finish; the same outcomes as the one-activity step, counted as objects in S3 (moto).

const orders = loadPipeline('orders');
const bucket = orders.s3.bucket;

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
  await createBucket(aws.s3, bucket);
});
afterAll(() => aws?.stop());

let runs = 0;

/**
 * One pipeline run's activities, each call run as Temporal would, with the attempt's info; with `earlier`, given
 * the inputs that runs on earlier workflow code scheduled: the whole pipeline config.
 */
function asRun(pipeline: PipelineConfig = orders, inputs: 'current' | 'earlier' = 'current') {
  const runId = `fan-out-run-${++runs}`;
  const activities = createValidationActivities({ s3: aws.s3 });
  type Input<A extends keyof typeof activities> = Parameters<(typeof activities)[A]>[0];
  const earlier = inputs === 'earlier' && legacyPipeline(pipeline);
  const validate = stepOf(pipeline, 'validate');
  const planInput = (date: string, round: number): Input<'planValidationRound'> =>
    earlier ? { pipeline: earlier, date, round } : { ...dateFilesInput(pipeline, date), round, batch: batchLimits(validate) };
  const batchInput = (date: string, round: number, files: RoundPlan['batches'][number]): Input<'validateFileBatch'> =>
    earlier ? { pipeline: earlier, date, round, files } : { ...fileCheckInput(pipeline, validate, date), round, files };
  const finishInput = (date: string, files: FileValidation[], plan: RoundPlan): Input<'finishValidation'> => {
    const rounds = { files, setAsideFiles: plan.setAsideFiles, ignoredFiles: plan.ignoredFiles };
    return earlier ? { pipeline: earlier, date, ...rounds } : { ...dateFilesInput(pipeline, date), ...rounds };
  };
  const env = (info: Record<string, unknown> = {}) => new MockActivityEnvironment({ workflowExecution: { workflowId: `etl-orders-${runs}`, runId }, ...info });
  return {
    plan: (date: string, round: number, info?: Record<string, unknown>) =>
      env(info)
        .run(activities.planValidationRound, planInput(date, round))
        .catch((err: unknown) => err) as Promise<RoundPlan | Error>,
    batch: async (date: string, round: number, files: RoundPlan['batches'][number], heartbeatDetails?: ValidationProgress) => {
      const attempt = env(heartbeatDetails && { heartbeatDetails, attempt: 2 });
      const heartbeats: ValidationProgress[] = [];
      attempt.on('heartbeat', (details: ValidationProgress) => heartbeats.push(details));
      const checks: FileValidation[] = await attempt.run(activities.validateFileBatch, batchInput(date, round, files));
      return { checks, heartbeats };
    },
    finish: (date: string, files: FileValidation[], plan: RoundPlan) =>
      env()
        .run(activities.finishValidation, finishInput(date, files, plan))
        .catch((err: unknown) => err) as Promise<ValidationResult | Error>,
  };
}

async function landFiles(date: string, count: number, broken?: number) {
  for (let i = 0; i < count; i++) {
    const rows = Array.from({ length: 3 + i }, (_, r) => `O-${i}-${r},C-1,${date},1.00,,,completed`);
    if (i === broken) rows[1] = `O-bad,C-1,${date},1.2345,,,completed`;
    await putObject(aws.s3, bucket, `raw/orders/${date}/part-${String(i).padStart(2, '0')}.csv`, `${ordersHeader}\n${rows.join('\n')}\n`);
  }
}

describe('batchesOf', () => {
  const object = (name: string, size: number) => ({ key: `raw/${name}`, name, size });

  it('cuts the files in listing order by count and by bytes; a file over the bytes is a batch of its own', () => {
    const files = [object('a', 10), object('b', 10), object('c', 10), object('d', 95), object('e', 10), object('f', 10)];
    expect(batchesOf(files, { files: 2, bytes: 100 }).map((batch) => batch.map((f) => f.name))).toEqual([['a', 'b'], ['c'], ['d'], ['e', 'f']]);
    expect(batchesOf([object('big', 500), object('x', 1)], { files: 10, bytes: 100 }).map((batch) => batch.map((f) => f.name))).toEqual([['big'], ['x']]);
    expect(batchesOf([], { files: 2, bytes: 100 })).toEqual([]);
  });
});

describe('the validate step in parts', () => {
  it("plans batches of the validate step's batch, checks them apart, and finishes with the same result as validateFiles", async () => {
    const pipeline = withStep(orders, 'validate', { batch: { files: 3 } });
    const [fannedOut, inOne] = ['2024-07-01', '2024-07-02'];
    await landFiles(fannedOut, 7, 4);
    await landFiles(inOne, 7, 4);
    const run = asRun(pipeline);

    const plan = (await run.plan(fannedOut, 1)) as RoundPlan;
    expect(plan.batches.map((batch) => batch.map((file) => file.name))).toEqual([
      ['part-00.csv', 'part-01.csv', 'part-02.csv'],
      ['part-03.csv', 'part-04.csv', 'part-05.csv'],
      ['part-06.csv'],
    ]);
    const checked = await Promise.all(plan.batches.map((files) => run.batch(fannedOut, 1, files)));
    expect(checked[1].heartbeats.at(-1)).toMatchObject({ round: 1, filesDone: 3, filesToCheck: 3 });
    const nextRound = (await run.plan(fannedOut, 2)) as RoundPlan;
    expect(nextRound.batches).toEqual([]);
    const failure = await run.finish(
      fannedOut,
      checked.flatMap((batch) => batch.checks),
      nextRound,
    );

    const { result: oneActivity } = await validateAsRun(aws.s3, { pipeline, date: inOne });
    expect(failure).toMatchObject({ type: 'InvalidFiles', nonRetryable: true });
    expect((failure as Error).message).toContain('- part-04.csv: line 3, column order_amount, value "1.2345"');
    const sameDate = (result: unknown, date: string) => JSON.parse(JSON.stringify((result as { details: [ValidationResult] }).details[0]).replaceAll(date, 'DATE'));
    expect(sameDate(failure, fannedOut)).toEqual(sameDate(oneActivity, inOne));
    expect(sameDate(failure, fannedOut).files).toHaveLength(7);
    for (const date of [fannedOut, inOne]) {
      expect(await listKeys(aws.s3, bucket, `raw/orders/${date}/`)).toEqual([]);
      expect(await listKeys(aws.s3, bucket, `validated/orders/${date}/`)).toHaveLength(6);
      expect(await listKeys(aws.s3, bucket, `errors/orders/${date}/`)).toEqual([
        `errors/orders/${date}/part-04.csv`,
        `errors/orders/${date}/part-04.csv.report.json`,
      ]);
    }
  });

  it('given the inputs of runs on earlier workflow code, with the whole pipeline config, plans, checks and finishes the same', async () => {
    const pipeline = withStep(orders, 'validate', { batch: { files: 2 } });
    const [withEarlier, withCurrent] = ['2024-07-05', '2024-07-06'];
    await landFiles(withEarlier, 3);
    await landFiles(withCurrent, 3);

    const results = [];
    for (const [date, inputs] of [
      [withEarlier, 'earlier'],
      [withCurrent, 'current'],
    ] as const) {
      const run = asRun(pipeline, inputs);
      const plan = (await run.plan(date, 1)) as RoundPlan;
      const checked = await Promise.all(plan.batches.map((files) => run.batch(date, 1, files)));
      const nextRound = (await run.plan(date, 2)) as RoundPlan;
      const result = await run.finish(
        date,
        checked.flatMap((batch) => batch.checks),
        nextRound,
      );
      results.push({ batches: plan.batches.length, result: JSON.parse(JSON.stringify(result).replaceAll(date, 'DATE')) });
    }

    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toMatchObject({ batches: 2, result: { rowsValidated: 12 } });
    expect(await listKeys(aws.s3, bucket, `validated/orders/${withEarlier}/`)).toHaveLength(3);
  });

  it('a retried batch keeps the checks its heartbeat carried and leaves out a file already gone from raw/', async () => {
    const date = '2024-07-03';
    await landFiles(date, 3);
    const run = asRun();
    const [files] = ((await run.plan(date, 1)) as RoundPlan).batches;
    // A first attempt checked part-00 and part-01, but its worker died before heartbeating part-01.
    const { checks: first } = await run.batch(date, 1, files.slice(0, 2));
    const heartbeat: ValidationProgress = {
      round: 1,
      file: files[0].key,
      rows: 3,
      filesDone: 1,
      filesToCheck: 3,
      bytesDone: files[0].size,
      bytesToCheck: 0,
      checked: [first[0]],
    };

    const { checks } = await run.batch(date, 1, files, heartbeat);

    expect(checks.map((check) => [check.key, check.outcome, check.rows])).toEqual([
      [`raw/orders/${date}/part-00.csv`, 'validated', 3],
      [`raw/orders/${date}/part-02.csv`, 'validated', 5],
    ]);
    const result = (await run.finish(date, checks, (await run.plan(date, 2)) as RoundPlan)) as ValidationResult;
    // Each file validated once; the one the heartbeat missed counts as validated before the result was kept.
    expect(await listKeys(aws.s3, bucket, `validated/orders/${date}/`)).toEqual(
      ['part-00.csv', 'part-01.csv', 'part-02.csv'].map((name) => `validated/orders/${date}/${name}`),
    );
    expect(result).toMatchObject({ rowsValidated: 8, previouslyValidatedFiles: 1 });
  });

  it('every fifth round with files still landing pauses for a retry, and past the rounds its attempts allow the step fails', async () => {
    const date = '2024-07-04';
    await landFiles(date, 1);
    const run = asRun();
    const retryPolicy = { maximumAttempts: 3 };

    expect(await run.plan(date, 6, { attempt: 1, retryPolicy })).toMatchObject({ type: 'FilesStillLanding', nonRetryable: false });
    expect(await run.plan(date, 6, { attempt: 2, retryPolicy })).toMatchObject({ batches: [[{ name: 'part-00.csv' }]] });
    expect(await run.plan(date, 7, { attempt: 1, retryPolicy })).toMatchObject({ batches: [[{ name: 'part-00.csv' }]] });
    const failure = await run.plan(date, 16, { attempt: 2, retryPolicy });
    expect(failure).toMatchObject({ type: 'FilesStillLanding', nonRetryable: true });
    expect((failure as Error).message).toContain(`s3://${bucket}/raw/orders/${date}/ still holds 1 unchecked file(s) after 15 rounds of validation`);
  });
});
