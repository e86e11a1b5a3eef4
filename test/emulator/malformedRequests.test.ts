import { startEmulator, type RunningEmulator } from '../../src/local/emulator';

// Requests the SDK would never send, sent as raw AWS JSON 1.1: each is refused with a 400 and an AWS error
// type that says what is wrong, and the emulator goes on serving.

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
  await send('AWSGlue.CreateDatabase', { DatabaseInput: { Name: 'lake' } });
  await send('AWSGlue.CreateTable', { DatabaseName: 'lake', TableInput: { Name: 'orders', PartitionKeys: [{ Name: 'order_date', Type: 'string' }] } });
});

afterAll(() => emulator?.close());

async function send(target: string, body: unknown): Promise<{ status: number; type?: string; message?: string; answer: Record<string, unknown> }> {
  const response = await fetch(emulator.url, {
    method: 'POST',
    headers: { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.1' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown> & { __type?: string; message?: string };
  return { status: response.status, type: answer.__type, message: answer.message, answer };
}

/** The operation, the request body, and the error type and message it gets. */
type Refused = [string, unknown, string, string];

test.each<Refused>([
  ['AWSGlue.CreatePartition', '{', 'SerializationException', 'The request body must be a JSON object.'],
  ['AWSGlue.CreatePartition', [], 'SerializationException', 'The request body must be a JSON object.'],
  [
    'AWSGlue.CreatePartition',
    { DatabaseName: 'lake', TableName: 'orders', PartitionInput: 'x' },
    'InvalidInputException',
    'PartitionInput is required and must be a structure.',
  ],
  [
    'AWSGlue.CreatePartition',
    { DatabaseName: 'lake', TableName: 'orders', PartitionInput: { Values: [20240115] } },
    'InvalidInputException',
    'PartitionInput.Values is required and must be a list of strings, one per partition key.',
  ],
  [
    'AWSGlue.CreatePartition',
    { DatabaseName: 'lake', TableName: 'orders', PartitionInput: { Values: ['2024-01-15'], StorageDescriptor: 'q' } },
    'InvalidInputException',
    'PartitionInput.StorageDescriptor is required and must be a structure.',
  ],
  [
    'AWSGlue.GetPartition',
    { DatabaseName: 'lake', TableName: 'orders', PartitionValues: '2024-01-15' },
    'InvalidInputException',
    'PartitionValues is required and must be a list of strings, one per partition key.',
  ],
  [
    'AWSGlue.CreateTable',
    { DatabaseName: 'lake', TableInput: { Name: 'customers', PartitionKeys: 'zz' } },
    'InvalidInputException',
    'TableInput.PartitionKeys must be a list of columns, each with a Name.',
  ],
  ['AWSGlue.StartCrawler', { Name: 5 }, 'InvalidInputException', 'Name is required and must be a non-empty string.'],
  ['AWSGlue.CreateCrawler', { Name: 'c', Role: 'r', Targets: 'x' }, 'InvalidInputException', 'Targets is required and must be a structure.'],
  [
    'AWSGlue.CreateCrawler',
    { Name: 'c', Role: 'r', Targets: {}, Schedule: { cron: 1 } },
    'InvalidInputException',
    'Schedule must be a cron expression, such as cron(0 8 * * ? *).',
  ],
  ['Logs_20140328.GetLogEvents', { logGroupName: 5 }, 'InvalidParameterException', 'logGroupName is required and must be a non-empty string.'],
  ...[{ Parameters: 'x' }, { Parameters: [{ name: 'a' }] }, { Parameters: [5] }].map((parameters): Refused => [
    'RedshiftData.ExecuteStatement',
    { Sql: 'SELECT :a', Database: 'dev', WorkgroupName: 'analytics', ...parameters },
    'ValidationException',
    'Parameters must be a list of { name, value }, each a string (the name without its colon).',
  ]),
  [
    'RedshiftData.BatchExecuteStatement',
    { Sqls: ['SELECT :a'], Database: 'dev', WorkgroupName: 'analytics', Parameters: 'x' },
    'ValidationException',
    'Parameters must be a list of { name, value }, each a string (the name without its colon).',
  ],
  [
    'RedshiftData.ExecuteStatement',
    { Sql: 'SELECT 1', Database: 'dev', WorkgroupName: 7 },
    'ValidationException',
    'WorkgroupName is required and must be a non-empty string.',
  ],
])('%s with %j is refused', async (target, body, type, message) => {
  expect(await send(target, body)).toMatchObject({ status: 400, type, message });
});

test('after them the catalog and the Redshift Data API still answer, and hold nothing they sent', async () => {
  expect(await send('RedshiftData.ListStatements', {})).toMatchObject({ status: 200, answer: { Statements: [] } });
  expect(await send('AWSGlue.GetPartitions', { DatabaseName: 'lake', TableName: 'orders' })).toMatchObject({ status: 200, answer: { Partitions: [] } });
  expect(await send('AWSGlue.GetTable', { DatabaseName: 'lake', Name: 'customers' })).toMatchObject({ status: 400, type: 'EntityNotFoundException' });
  expect(await send('AWSGlue.GetCrawler', { Name: 'c' })).toMatchObject({ status: 400, type: 'EntityNotFoundException' });
});
