import {
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  GetDatabaseCommand,
  GetPartitionCommand,
  GetPartitionsCommand,
  GetTableCommand,
  UpdatePartitionCommand,
  paginateGetPartitions,
  type Partition,
  type StorageDescriptor,
} from '@aws-sdk/client-glue';
import { useGlueEmulator } from '../support/glueEmulator';

const DatabaseName = 'lake';
const TableName = 'orders';
const storage: StorageDescriptor = {
  Columns: [
    { Name: 'order_id', Type: 'bigint' },
    { Name: 'amount', Type: 'decimal(18,2)' },
  ],
  Location: 's3://etl-data-lake/processed/orders/',
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
};
const emulated = useGlueEmulator();

beforeEach(async () => {
  await emulated.aws.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: DatabaseName, Description: 'the data lake' } }));
  await emulated.aws.glue.send(
    new CreateTableCommand({
      DatabaseName,
      TableInput: { Name: TableName, TableType: 'EXTERNAL_TABLE', StorageDescriptor: storage, PartitionKeys: [{ Name: 'order_date', Type: 'string' }] },
    }),
  );
});

const partitionAt = (date: string) => ({ Values: [date], StorageDescriptor: { ...storage, Location: `s3://etl-data-lake/processed/orders/order_date=${date}/` } });

async function allPartitions(pageSize?: number): Promise<Partition[]> {
  const partitions: Partition[] = [];
  for await (const page of paginateGetPartitions({ client: emulated.aws.glue, pageSize }, { DatabaseName, TableName })) partitions.push(...(page.Partitions ?? []));
  return partitions;
}

test('a database and a table are read back with their settings', async () => {
  const { Database } = await emulated.aws.glue.send(new GetDatabaseCommand({ Name: DatabaseName }));
  const { Table } = await emulated.aws.glue.send(new GetTableCommand({ DatabaseName, Name: TableName }));

  expect(Database).toMatchObject({ Name: DatabaseName, Description: 'the data lake', CreateTime: expect.any(Date) });
  expect(Table).toMatchObject({
    Name: TableName,
    DatabaseName,
    TableType: 'EXTERNAL_TABLE',
    StorageDescriptor: storage,
    PartitionKeys: [{ Name: 'order_date', Type: 'string' }],
    CreateTime: expect.any(Date),
  });
});

test('names are found whatever their case and stored in lower case, as Glue does', async () => {
  const { Table } = await emulated.aws.glue.send(new GetTableCommand({ DatabaseName: 'LAKE', Name: 'Orders' }));

  expect(Table).toMatchObject({ Name: TableName, DatabaseName });
});

test('a partition is created and read back; creating it again raises AlreadyExistsException', async () => {
  await emulated.aws.glue.send(new CreatePartitionCommand({ DatabaseName, TableName, PartitionInput: partitionAt('2024-01-15') }));

  const { Partition } = await emulated.aws.glue.send(new GetPartitionCommand({ DatabaseName, TableName, PartitionValues: ['2024-01-15'] }));
  expect(Partition).toMatchObject({ ...partitionAt('2024-01-15'), DatabaseName, TableName, CreationTime: expect.any(Date) });
  await expect(emulated.aws.glue.send(new CreatePartitionCommand({ DatabaseName, TableName, PartitionInput: partitionAt('2024-01-15') }))).rejects.toMatchObject({
    name: 'AlreadyExistsException',
  });
  expect(await allPartitions()).toHaveLength(1);
});

test('UpdatePartition replaces the definition and keeps the creation time; an unknown partition raises EntityNotFoundException', async () => {
  await emulated.aws.glue.send(new CreatePartitionCommand({ DatabaseName, TableName, PartitionInput: partitionAt('2024-01-15') }));
  const before = (await emulated.aws.glue.send(new GetPartitionCommand({ DatabaseName, TableName, PartitionValues: ['2024-01-15'] }))).Partition!;
  const moved = { Values: ['2024-01-15'], StorageDescriptor: { ...storage, Location: 's3://etl-data-lake/processed-v2/orders/2024-01-15/' } };

  await emulated.aws.glue.send(new UpdatePartitionCommand({ DatabaseName, TableName, PartitionValueList: ['2024-01-15'], PartitionInput: moved }));

  const [after] = await allPartitions();
  expect(after.StorageDescriptor!.Location).toBe('s3://etl-data-lake/processed-v2/orders/2024-01-15/');
  expect(after.CreationTime).toEqual(before.CreationTime);
  await expect(
    emulated.aws.glue.send(new UpdatePartitionCommand({ DatabaseName, TableName, PartitionValueList: ['2024-01-16'], PartitionInput: partitionAt('2024-01-16') })),
  ).rejects.toMatchObject({ name: 'EntityNotFoundException' });
});

test('GetPartitions lists partitions in pages', async () => {
  const dates = ['2024-01-13', '2024-01-14', '2024-01-15', '2024-01-16', '2024-01-17'];
  for (const date of dates) await emulated.aws.glue.send(new CreatePartitionCommand({ DatabaseName, TableName, PartitionInput: partitionAt(date) }));

  const firstPage = await emulated.aws.glue.send(new GetPartitionsCommand({ DatabaseName, TableName, MaxResults: 2 }));

  expect(firstPage.Partitions).toHaveLength(2);
  expect(firstPage.NextToken).toEqual(expect.any(String));
  expect((await allPartitions(2)).map((partition) => partition.Values![0])).toEqual(dates);
});

test('values that do not match the partition keys are refused with InvalidInputException', async () => {
  await expect(
    emulated.aws.glue.send(new CreatePartitionCommand({ DatabaseName, TableName, PartitionInput: { ...partitionAt('2024-01-15'), Values: ['2024', '01', '15'] } })),
  ).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('partition values') });
});

test('unknown databases, tables and partitions, and duplicates, raise the AWS exceptions', async () => {
  await expect(emulated.aws.glue.send(new GetDatabaseCommand({ Name: 'warehouse' }))).rejects.toMatchObject({
    name: 'EntityNotFoundException',
    message: 'Database warehouse not found.',
  });
  await expect(emulated.aws.glue.send(new GetTableCommand({ DatabaseName, Name: 'customers' }))).rejects.toMatchObject({
    name: 'EntityNotFoundException',
    message: 'Table customers not found.',
  });
  await expect(emulated.aws.glue.send(new GetTableCommand({ DatabaseName: 'warehouse', Name: TableName }))).rejects.toMatchObject({
    name: 'EntityNotFoundException',
  });
  await expect(emulated.aws.glue.send(new GetPartitionCommand({ DatabaseName, TableName, PartitionValues: ['2024-01-15'] }))).rejects.toMatchObject({
    name: 'EntityNotFoundException',
  });
  await expect(emulated.aws.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: DatabaseName } }))).rejects.toMatchObject({
    name: 'AlreadyExistsException',
  });
  await expect(emulated.aws.glue.send(new CreateTableCommand({ DatabaseName, TableInput: { Name: TableName } }))).rejects.toMatchObject({
    name: 'AlreadyExistsException',
  });
});

test('reset forgets the Data Catalog', async () => {
  await emulated.control.reset();

  await expect(emulated.aws.glue.send(new GetDatabaseCommand({ Name: DatabaseName }))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
});
