import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/local/paths';
import { stackPortsFromEnv } from '../../src/local/stackPorts';
import { runningStack } from '../../src/local/stackState';
import { etlAsync, startEtl } from '../support/etl';

/** The Quick start's main job, exactly as a user runs it after setup: twice, to show it is repeatable. */
function demo() {
  const result = spawnSync(process.execPath, [join(projectRoot, 'lib/client/cli.js'), 'demo'], { encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the demo runs the sample pipeline for the sample date, every time', () => {
  const stackWasRunning = Boolean(runningStack());
  for (let attempt = 1; attempt <= 2; attempt++) {
    const { code, stdout, stderr } = demo();
    expect({ attempt, code, stderr }).toEqual({ attempt, code: 0, stderr: '' });
    expect(stdout).toContain('Landed 2 sample file(s) in s3://etl-data-lake/raw/orders/2024-01-15/');
    for (const step of ['Validate files', 'Run Glue job', 'Load to Redshift', 'Refresh views', 'Send notification']) {
      expect(stdout).toMatch(new RegExp(`✔ ${step} +succeeded`));
    }
    expect(stdout).toContain('8 row(s) validated');
    // The rows are in the local Redshift: the same 5 orders each time (the job keeps completed, unique ones).
    expect(stdout).toContain(
      `public.fct_orders: 5 row(s) for 2024-01-15; see them with: etl sql --pipeline orders "SELECT * FROM public.fct_orders WHERE order_date = '2024-01-15'"`,
    );
    expect(stdout).toMatch(/^analytics\.daily_sales: order_date=2024-01-15 orders=5 revenue=1444\.74$/m);
    expect(stdout).toMatch(/^analytics\.customer_metrics: customer_id=C-\d+ orders=\d+ /m);
    expect(stdout).toMatch(
      new RegExp(
        `See it in the Temporal UI: http://127\\.0\\.0\\.1:${stackPortsFromEnv().temporalUi}/namespaces/default/workflows/etl-orders-2024-01-15/[0-9a-f-]+/history`,
      ),
    );
  }
  // The demo stops only what it started.
  expect(Boolean(runningStack())).toBe(stackWasRunning);
}, 600_000);

test('a demo interrupted mid-run stops its stack, and the next demo is not blocked by the run it left', async () => {
  const stackWasRunning = Boolean(runningStack());
  const interrupted = await startEtl(['demo'], {}, /Validate files +succeeded/);
  const exitCode = new Promise((resolve) => interrupted.once('exit', (code) => resolve(code)));
  interrupted.kill('SIGINT');
  if (!stackWasRunning) {
    expect(await exitCode).toBe(130);
    expect(runningStack()).toBeUndefined();
  }

  const next = await etlAsync(['demo']);

  expect(next.code).toBe(0);
  expect(next.stdout).toMatch(/✔ Send notification +succeeded/);
  // The interrupted run waited on emulated AWS state that died with its stack; a fresh stack ends it.
  if (!stackWasRunning) {
    expect(next.stdout).toMatch(
      /Terminated runs the last stack left open that could not resume \(their files, Glue run or statement were lost with it\): etl-orders-2024-01-15 \(at (validate|glue)\)/,
    );
  }
}, 600_000);
