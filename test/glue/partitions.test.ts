import { GetTableCommand, paginateGetPartitions, type Partition } from '@aws-sdk/client-glue';
import type { RegisterPartitionInput } from '../../src/activities/glue/partitions';
import { provisionCatalog } from '../../src/local/provision';
import { errorTypes } from '../../src/shared/errorTypes';
import type { PartitionResult } from '../../src/shared/stepResults';
import { activityEnvironment } from '../support/activities';
import { useGlueEmulator } from '../support/glueEmulator';

const database = 'lake';
const table = 'fct_orders';
const input: RegisterPartitionInput = {
  pipelineName: 'orders',
  date: '2024-01-15',
  database,
  table,
  values: ['{{date}}'],
  location: 's3://etl-data-lake/processed/orders/order_date={{date}}/',
};

const emulated = useGlueEmulator();

beforeEach(async () => {
  await provisionCatalog(emulated.aws.glue, { database, table, partitionKeys: ['order_date'], location: 's3://etl-data-lake/processed/orders/' });
});

const register = (given: RegisterPartitionInput = input): Promise<PartitionResult> => activityEnvironment().run(emulated.activities.registerPartition, given);

async function partitions(): Promise<Partition[]> {
  const found: Partition[] = [];
  for await (const page of paginateGetPartitions({ client: emulated.aws.glue }, { DatabaseName: database, TableName: table }))
    found.push(...(page.Partitions ?? []));
  return found;
}

test("registers the date's partition at the date's folder, with the table's storage settings", async () => {
  const result = await register();

  expect(result).toEqual({ database, table, values: ['2024-01-15'], location: 's3://etl-data-lake/processed/orders/order_date=2024-01-15/', action: 'created' });
  const { Table } = await emulated.aws.glue.send(new GetTableCommand({ DatabaseName: database, Name: table }));
  const [partition, ...others] = await partitions();
  expect(others).toEqual([]);
  expect(partition.Values).toEqual(['2024-01-15']);
  expect(partition.StorageDescriptor).toEqual({ ...Table!.StorageDescriptor, Location: 's3://etl-data-lake/processed/orders/order_date=2024-01-15/' });
});

test('registering the date again updates its partition to the location: one partition for the date', async () => {
  await register({ ...input, location: 's3://etl-data-lake/processed-old/orders/{{date_nodash}}/' });

  const again = await register();

  expect(again.action).toBe('updated');
  const found = await partitions();
  expect(found.map((partition) => [partition.Values, partition.StorageDescriptor?.Location])).toEqual([
    [['2024-01-15'], 's3://etl-data-lake/processed/orders/order_date=2024-01-15/'],
  ]);
});

test('a create whose answer was lost is retried and leaves one partition for the date', async () => {
  await emulated.control.setFaults([{ target: 'AWSGlue.CreatePartition', answer: 'serverError' }]);

  const result = await register();

  expect(result.action).toBe('updated');
  expect((await partitions()).map((partition) => partition.Values)).toEqual([['2024-01-15']]);
});

test('provisioning the table again keeps its partitions', async () => {
  await register();

  await provisionCatalog(emulated.aws.glue, { database, table, partitionKeys: ['order_date'], location: 's3://etl-data-lake/processed/orders/' });

  expect(await partitions()).toHaveLength(1);
});

test('each date gets its own partition', async () => {
  await register();
  await register({ ...input, date: '2024-01-16' });

  expect((await partitions()).map((partition) => partition.Values)).toEqual([['2024-01-15'], ['2024-01-16']]);
});

test('values that do not match the partition keys fail for good, naming the keys, and register nothing', async () => {
  const failure = register({ ...input, values: ['{{date}}', 'eu-west-1'] });

  await expect(failure).rejects.toMatchObject({
    type: errorTypes.InvalidPartitionValues,
    nonRetryable: true,
    message: expect.stringContaining(`Glue table ${database}.${table} is partitioned by order_date, but the partitions step gives 2 value(s)`),
  });
  expect(await partitions()).toEqual([]);
});

test('a missing table or database fails for good and says how to fix it', async () => {
  const notFound = { type: errorTypes.GlueTableNotFound, nonRetryable: true, message: expect.stringContaining('create it in the Data Catalog') };

  await expect(register({ ...input, table: 'fct_ordrs' })).rejects.toMatchObject(notFound);
  await expect(register({ ...input, database: 'laek' })).rejects.toMatchObject(notFound);
});
