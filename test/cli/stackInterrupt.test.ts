import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/local/paths';
import { etl } from '../support/etl';
import { testLocalStack, type TestLocalStack } from '../support/localStack';
import { eventually, processGone } from '../support/processes';

/**
 * Ctrl-C at any moment of `etl stack up` or `etl demo` leaves no process behind and no port taken, and
 * `etl stack down` stops only what the stack started. Each case runs the built CLI on a stack of its own
 * (free ports, a temporary state folder).
 */

const cli = join(projectRoot, 'lib/client/cli.js');
let stack: TestLocalStack;

beforeEach(async () => {
  stack = await testLocalStack();
});

afterEach(async () => {
  await stack.cleanUp();
});

/** Starts `etl <args>` on the test's stack, sends it SIGINT once `moment` is seen, and says how it ended. */
async function interrupt(args: string[], moment: { inStackLog?: RegExp; inOutput?: RegExp }) {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...stack.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  let exitedEarly = false;
  void ended.then(() => (exitedEarly = true));
  await eventually(
    `${String(moment.inStackLog ?? moment.inOutput)} (etl ${args.join(' ')})`,
    () => {
      if (exitedEarly) throw new Error(`etl ${args.join(' ')} ended before the moment to interrupt it:\n${output}`);
      return (moment.inStackLog?.test(stack.log()) ?? moment.inOutput!.test(output)) || undefined;
    },
    6000,
  );
  // Every process of the stack at the moment of the interruption, by pid.
  const before = stack.processes().map((p) => p.pid);
  child.kill('SIGINT');
  return { ...(await ended), before, output };
}

async function expectNothingLeft(before: number[]) {
  await eventually('every process of the stack to be gone', () => before.every(processGone) || undefined);
  expect(stack.processes()).toEqual([]);
  expect(await stack.takenPorts()).toEqual([]);
  expect(stack.state()).toBeUndefined();
}

test.each([
  ['its servers have been started, before they answer', /started temporal \(pid \d+\), moto \(pid \d+\), emulator \(pid \d+\)/],
  ['its servers are ready and the worker is starting', /started the worker's supervisor/],
  ['the stack is ready and its pipelines are being provisioned', /local stack ready/],
])(
  'Ctrl-C during `etl stack up` when %s stops everything it started and frees every port',
  async (_moment, inStackLog) => {
    const { code, before, output } = await interrupt(['stack', 'up'], { inStackLog });

    expect({ code, output }).toEqual({ code: 130, output: '' });
    expect(before.length).toBeGreaterThan(0);
    await expectNothingLeft(before);
  },
  120_000,
);

test('Ctrl-C during `etl demo` while its stack starts, or while its run goes, stops everything the demo started', async () => {
  const starting = await interrupt(['demo'], { inStackLog: /started temporal/ });
  expect(starting.code).toBe(130);
  await expectNothingLeft(starting.before);

  const running = await interrupt(['demo'], { inOutput: /Validate files +succeeded/ });
  expect(running.code).toBe(130);
  expect(running.before.length).toBeGreaterThanOrEqual(5); // temporal, moto, emulator, the supervisor and its worker
  await expectNothingLeft(running.before);
}, 240_000);

test('`etl stack down` leaves running a process whose pid a stale state file names, and says so', async () => {
  const unrelated = spawn('sleep', ['60'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => unrelated.once('exit', resolve));
  try {
    // What an earlier stack's file holds once its moto is gone and the system gave the pid to another program.
    mkdirSync(stack.stateDir, { recursive: true });
    const logFile = join(stack.stateDir, 'logs', 'moto.log');
    writeFileSync(join(stack.stateDir, 'stack.json'), JSON.stringify({ ready: true, processes: [{ name: 'moto', pid: unrelated.pid, logFile, startTime: '1' }] }));

    const { code, stdout, stderr } = etl(['stack', 'down'], stack.env);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`Left pid ${unrelated.pid} running: it is not the moto the stack started (another process has that pid now).`);
    expect(processGone(unrelated.pid!)).toBe(false);
    expect(stack.log()).toContain(`left pid ${unrelated.pid} running`);
    expect(stack.state()).toBeUndefined();
  } finally {
    unrelated.kill('SIGKILL');
    await exited;
  }
});
