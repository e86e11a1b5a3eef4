import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadPipeline } from '../../src/config/load';
import { freePort } from '../../src/local/processes';
import { configDirWith, edit, sampleOrdersSchedule, sampleOrdersYaml } from '../config/pipelineFiles';
import { etl } from '../support/etl';
import { createDevServerEnv } from '../support/temporal';

/** `etl schedule ...` as a user runs it (the built CLI). */

const unscheduledConfigDir = configDirWith({ 'orders.yaml': edit(sampleOrdersYaml, sampleOrdersSchedule, '') });

const perPipelineCommands = [['describe'], ['pause'], ['unpause'], ['trigger'], ['delete']];

test('schedule --help lists what each command does', () => {
  const { code, stdout } = etl(['schedule', '--help']);
  expect(code).toBe(0);
  expect(stdout).toMatch(/apply[\s\S]*list[\s\S]*describe[\s\S]*pause[\s\S]*unpause[\s\S]*trigger[\s\S]*delete/);
});

describe('bad input exits 2 with one line, before connecting to Temporal', () => {
  let unreachable: Record<string, string>;
  beforeAll(async () => {
    // A Temporal address nobody listens on: a command that got as far as connecting would exit 1 saying so.
    unreachable = { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` };
  });

  function expectBadInput(args: string[], message: string, env: Record<string, string> = {}) {
    const { code, stdout, stderr } = etl(['schedule', ...args], { ...unreachable, ...env });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
  }

  test.each([['apply'], ...perPipelineCommands])('%s of an unknown pipeline', (command) => {
    expectBadInput([command, '--pipeline', 'invoices'], 'etl: unknown pipeline "invoices": no config/pipelines/invoices.yaml (known pipelines: ');
  });

  test.each([['apply'], ['describe'], ['pause'], ['unpause'], ['trigger']])('%s of a pipeline without a schedule block', (command) => {
    expectBadInput([command, '--pipeline', 'orders', '--config-dir', unscheduledConfigDir], 'etl: pipeline "orders" has no schedule block in its config');
  });

  test('apply with a broken schedule block names the file, line and key', () => {
    const dir = configDirWith({ 'orders.yaml': edit(sampleOrdersYaml, 'cron: "0 8 * * *"', 'cron: "0 8 * *"') });
    const line = sampleOrdersYaml.split('\n').findIndex((l) => l.includes('cron:')) + 1;

    expectBadInput(['apply'], `orders.yaml:${line}: schedule.cron: must be a cron expression such as "0 8 * * *"`, { ETL_CONFIG_DIR: dir });
  });

  test.each(perPipelineCommands)('%s without --pipeline', (command) => {
    const { code, stderr } = etl(['schedule', command], unreachable);
    expect(code).toBe(2);
    expect(stderr).toContain("required option '-p, --pipeline <name>' not specified");
  });
});

describe('against a Temporal server', () => {
  let env: TestWorkflowEnvironment;
  let server: Record<string, string>;
  beforeAll(async () => {
    env = await createDevServerEnv();
    server = { TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default', TEMPORAL_UI_URL: 'http://127.0.0.1:8233' };
  });
  afterAll(() => env?.teardown());

  const schedule = (...args: string[]) => etl(['schedule', ...args], server);

  test('apply creates the schedule; applying again changes nothing', () => {
    expect(schedule('list').stdout).toContain('No pipeline schedules yet: `etl schedule apply` creates them from the config.');

    const first = schedule('apply');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^orders: created schedule etl-orders-schedule: "0 8 \* \* \*" in UTC, each run processes the day before; next run \S+T08:00:00Z for \d{4}-\d\d-\d\d$/m,
    );
    expect(first.stdout).toContain('Temporal UI: http://127.0.0.1:8233/namespaces/default/schedules');

    const second = schedule('apply', '--pipeline', 'orders');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^orders: schedule etl-orders-schedule unchanged: "0 8 \* \* \*" in UTC/m);
  });

  test('describe shows the cron, time zone, policies and the next runs with the date each processes', () => {
    const { code, stdout } = schedule('describe', '--pipeline', 'orders');

    expect(code).toBe(0);
    expect(stdout).toContain('Schedule etl-orders-schedule (pipeline orders)');
    expect(stdout).toMatch(/^ {2}cron +0 8 \* \* \* in UTC; each run processes the day before$/m);
    expect(stdout).toMatch(/^ {2}state +active$/m);
    expect(stdout).toMatch(/^ {2}overlap +skip$/m);
    expect(stdout).toMatch(/^ {2}catch-up window +1d$/m);
    expect(stdout).toMatch(/^ {2}jitter +0s$/m);
    expect(stdout).toMatch(/^ {2}next runs +\S+T08:00:00Z {2}processes \d{4}-\d\d-\d\d$/m);
    expect(stdout).toContain('http://127.0.0.1:8233/namespaces/default/schedules/etl-orders-schedule');

    const view = JSON.parse(schedule('describe', '--pipeline', 'orders', '--json').stdout);
    expect(view).toMatchObject({ scheduleId: 'etl-orders-schedule', cron: '0 8 * * *', timezone: 'UTC', paused: false });
    // Each next run processes the day before the UTC day it runs on.
    const [next] = view.nextRuns;
    expect(new Date(Date.parse(`${next.date}T08:00:00Z`) + 86_400_000).toISOString()).toBe(next.scheduledTime);
  });

  test('pause and unpause take a note, which describe and list show', () => {
    expect(schedule('pause', '--pipeline', 'orders', '--note', 'Redshift maintenance until Monday').code).toBe(0);

    expect(schedule('describe', '--pipeline', 'orders').stdout).toMatch(/^ {2}state +paused \(note: Redshift maintenance until Monday\)$/m);
    // Listing is eventually consistent: it shows the pause a moment later.
    let listed = JSON.parse(schedule('list', '--json').stdout);
    for (let tries = 0; tries < 20 && !listed[0]?.paused; tries++) listed = JSON.parse(schedule('list', '--json').stdout);
    expect(listed).toEqual([
      expect.objectContaining({ scheduleId: 'etl-orders-schedule', pipeline: 'orders', paused: true, note: 'Redshift maintenance until Monday' }),
    ]);

    const unpaused = schedule('unpause', '--pipeline', 'orders');
    expect(unpaused.stdout).toContain('Unpaused etl-orders-schedule (note: unpaused with `etl schedule unpause`).');
    expect(schedule('describe', '--pipeline', 'orders').stdout).toMatch(/^ {2}state +active \(note: unpaused with `etl schedule unpause`\)$/m);
  });

  test('trigger starts a run now, which describe lists', () => {
    const { code, stdout } = schedule('trigger', '--pipeline', 'orders');

    expect(code).toBe(0);
    expect(stdout).toMatch(/^Triggered etl-orders-schedule: a run starts now and processes \d{4}-\d\d-\d\d\.$/m);
    expect(schedule('describe', '--pipeline', 'orders').stdout).toMatch(/^ {2}recent runs +\S+Z {2}etl-orders-schedule-\S+Z \(started \S+Z\)$/m);
  });

  test('a cron Temporal rejects is bad input naming the pipeline and the reason', () => {
    const dir = configDirWith({ 'orders.yaml': edit(sampleOrdersYaml, 'cron: "0 8 * * *"', 'cron: "0 25 * * *"') });

    const { code, stderr } = schedule('apply', '--config-dir', dir);

    expect(code).toBe(2);
    expect(stderr.trim()).toBe('etl: pipeline orders: Temporal rejected its schedule block: Hour is not in range [0-23]');
  });

  test('apply skips a pipeline without a schedule block, pointing at its leftover schedule; delete removes it', () => {
    expect(schedule('apply', '--config-dir', unscheduledConfigDir).stdout).toContain(
      'orders: no schedule block in its config, skipped; schedule etl-orders-schedule is still there (`etl schedule delete --pipeline orders` removes it)',
    );

    const deleted = schedule('delete', '--pipeline', 'orders', '--config-dir', unscheduledConfigDir);
    expect(deleted.stdout).toContain('Deleted etl-orders-schedule; runs it started are not affected.');

    const { code, stderr } = schedule('describe', '--pipeline', 'orders');
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`etl: there is no schedule etl-orders-schedule on ${env.address}: create it with \`etl schedule apply\``);
  });
});

describe('a schedule under its former id, etl-<pipeline>-daily, as an older etl applied it', () => {
  let env: TestWorkflowEnvironment;
  let server: Record<string, string>;
  beforeAll(async () => {
    env = await createDevServerEnv();
    server = { TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default' };
  });
  afterAll(() => env?.teardown());

  const schedule = (...args: string[]) => etl(['schedule', ...args], server);

  /** The schedule as the older etl created it: its id and the runs' workflow ids named for a daily cadence. */
  async function createFormerSchedule(state: { paused: boolean; note: string }) {
    const pipeline = loadPipeline('orders');
    await env.client.schedule.create({
      scheduleId: 'etl-orders-daily',
      spec: { cronExpressions: [pipeline.schedule!.cron], timezone: pipeline.schedule!.timezone },
      action: {
        type: 'startWorkflow',
        workflowType: 'scheduledPipeline',
        workflowId: 'etl-orders-daily',
        taskQueue: pipeline.taskQueue,
        args: [{ pipeline }],
        staticSummary: 'orders: scheduled daily run',
      },
      policies: { overlap: 'ALLOW_ALL', catchupWindow: pipeline.schedule!.catchupWindow, pauseOnFailure: false },
      memo: { pipeline: 'orders' },
      state,
    });
  }

  /** The pipelines' schedules, once listing shows just `scheduleId` (it is eventually consistent). */
  function listedOnly(scheduleId: string): { scheduleId: string; paused: boolean }[] {
    const list = () => JSON.parse(schedule('list', '--json').stdout) as { scheduleId: string; paused: boolean }[];
    let listed = list();
    for (let tries = 0; tries < 50 && listed.map((s) => s.scheduleId).join() !== scheduleId; tries++) listed = list();
    return listed;
  }

  test('the schedule commands act on it until apply moves it', async () => {
    await createFormerSchedule({ paused: false, note: '' });

    expect(schedule('describe', '--pipeline', 'orders').stdout).toContain('Schedule etl-orders-daily (pipeline orders)');
    expect(schedule('pause', '--pipeline', 'orders', '--note', 'Redshift maintenance until Monday').stdout).toContain(
      'Paused etl-orders-daily (note: Redshift maintenance until Monday).',
    );
    expect(listedOnly('etl-orders-daily')).toEqual([expect.objectContaining({ scheduleId: 'etl-orders-daily', paused: true })]);
  });

  test('apply moves it to etl-orders-schedule, still paused and with its note, and leaves one schedule', () => {
    const { code, stdout } = schedule('apply', '--pipeline', 'orders');

    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^orders: moved schedule etl-orders-daily to etl-orders-schedule, paused or active as it was and with its note: "0 8 \* \* \*" in UTC, each run processes the day before; paused$/m,
    );
    const view = JSON.parse(schedule('describe', '--pipeline', 'orders', '--json').stdout);
    expect(view).toMatchObject({ scheduleId: 'etl-orders-schedule', paused: true, note: 'Redshift maintenance until Monday' });
    expect(listedOnly('etl-orders-schedule')).toEqual([expect.objectContaining({ scheduleId: 'etl-orders-schedule', paused: true })]);
    expect(schedule('apply', '--pipeline', 'orders').stdout).toMatch(/^orders: schedule etl-orders-schedule unchanged: .*; paused$/m);
  });

  test('its runs are named for the new id', () => {
    expect(schedule('unpause', '--pipeline', 'orders').stdout).toContain('Unpaused etl-orders-schedule');
    expect(schedule('trigger', '--pipeline', 'orders').stdout).toMatch(/^Triggered etl-orders-schedule: /m);
    expect(schedule('describe', '--pipeline', 'orders').stdout).toMatch(/^ {2}recent runs +\S+Z {2}etl-orders-schedule-\S+Z \(started \S+Z\)$/m);
  });

  test("a schedule under the former id beside today's is deleted by apply, today's kept as it is", async () => {
    await createFormerSchedule({ paused: true, note: 'applied again by an older etl' });

    const { stdout } = schedule('apply', '--pipeline', 'orders');

    expect(stdout).toMatch(/^orders: schedule etl-orders-schedule unchanged: .*; deleted etl-orders-daily, a second schedule of the pipeline under its former id$/m);
    expect(listedOnly('etl-orders-schedule')).toEqual([expect.objectContaining({ scheduleId: 'etl-orders-schedule', paused: false })]);
  });
});
