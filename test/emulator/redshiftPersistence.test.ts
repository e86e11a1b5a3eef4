import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
} from '@aws-sdk/client-redshift-data';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';

// With a data folder (as the local stack gives it), the local Redshift's tables outlive the emulator process.

const dataDir = mkdtempSync(join(tmpdir(), 'etl-redshift-'));
const analytics = { WorkgroupName: 'analytics', Database: 'dev' };

let emulator: RunningEmulator | undefined;
let redshift: RedshiftDataClient | undefined;

afterEach(async () => {
  redshift?.destroy();
  await emulator?.close();
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function startWithDataFolder(): Promise<EmulatorControl> {
  redshift?.destroy();
  await emulator?.close();
  emulator = await startEmulator({ redshift: { dataDir } });
  redshift = new RedshiftDataClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  return new EmulatorControl(emulator.url);
}

async function run(sql: string, target: { WorkgroupName?: string; ClusterIdentifier?: string; Database: string } = analytics): Promise<DescribeStatementResponse> {
  const { Id } = await redshift!.send(new ExecuteStatementCommand({ ...target, Sql: sql }));
  return redshift!.send(new DescribeStatementCommand({ Id }));
}

async function orderCount(): Promise<number | undefined> {
  const statement = await run('SELECT COUNT(*) FROM public.orders');
  if (statement.Status !== 'FINISHED') throw new Error(`counting failed: ${statement.Error}`);
  const { Records } = await redshift!.send(new GetStatementResultCommand({ Id: statement.Id }));
  return Records![0][0].longValue;
}

test('tables and rows survive a restart of the emulator and its reset; each workgroup or cluster and database is its own', async () => {
  await startWithDataFolder();
  await expect(run('CREATE TABLE public.orders (order_id VARCHAR(50) DISTKEY, order_date DATE SORTKEY)')).resolves.toMatchObject({ Status: 'FINISHED' });
  await expect(run("INSERT INTO public.orders VALUES ('a', '2024-01-15'), ('b', '2024-01-15')")).resolves.toMatchObject({ Status: 'FINISHED' });

  const control = await startWithDataFolder();
  expect(await orderCount()).toBe(2);

  await control.reset();
  expect(await orderCount()).toBe(2);

  const elsewhere = [
    await run('SELECT * FROM public.orders', { WorkgroupName: 'analytics', Database: 'other' }),
    await run('SELECT * FROM public.orders', { ClusterIdentifier: 'analytics', Database: 'dev' }),
  ];
  expect(elsewhere.map((statement) => statement.Error)).toEqual([
    'ERROR: relation "public.orders" does not exist',
    'ERROR: relation "public.orders" does not exist',
  ]);
});
