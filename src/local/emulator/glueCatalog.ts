import type {
  CreateDatabaseRequest,
  CreateDatabaseResponse,
  CreatePartitionRequest,
  CreatePartitionResponse,
  CreateTableRequest,
  CreateTableResponse,
  Database,
  GetDatabaseRequest,
  GetDatabaseResponse,
  GetPartitionRequest,
  GetPartitionResponse,
  GetPartitionsRequest,
  GetPartitionsResponse,
  GetTableRequest,
  GetTableResponse,
  Partition,
  PartitionInput,
  Table,
  TableInput,
  UpdatePartitionRequest,
  UpdatePartitionResponse,
} from '@aws-sdk/client-glue';
import { pageOf } from './paging';
import { AwsError, requireString, requireStructure, type Operations } from './protocol';

interface CatalogTable {
  databaseName: string;
  definition: TableInput & { Name: string };
  createdOn: Date;
  /** By partitionKey(values), in the order they were created. */
  partitions: Map<string, Partition>;
}

interface CatalogDatabase {
  definition: Database & { Name: string };
  tables: Map<string, CatalogTable>;
}

const invalidInput = 'InvalidInputException';

/**
 * The Glue Data Catalog's databases, tables and partitions, in memory: what registering a date's partition needs.
 * As in Glue, database and table names are stored in lower case and found whatever their case.
 */
export class GlueCatalog {
  private readonly databases = new Map<string, CatalogDatabase>();

  readonly operations: Operations = {
    CreateDatabase: (input: CreateDatabaseRequest) => this.createDatabase(input),
    GetDatabase: (input: GetDatabaseRequest) => this.getDatabase(input),
    CreateTable: (input: CreateTableRequest) => this.createTable(input),
    GetTable: (input: GetTableRequest) => this.getTable(input),
    CreatePartition: (input: CreatePartitionRequest) => this.createPartition(input),
    UpdatePartition: (input: UpdatePartitionRequest) => this.updatePartition(input),
    GetPartition: (input: GetPartitionRequest) => this.getPartition(input),
    GetPartitions: (input: GetPartitionsRequest) => this.getPartitions(input),
  };

  private createDatabase({ DatabaseInput: input }: CreateDatabaseRequest): CreateDatabaseResponse {
    const name = catalogName(input?.Name, 'DatabaseInput.Name');
    if (this.databases.has(name)) throw new AwsError('AlreadyExistsException', `Database ${name} already exists.`);
    this.databases.set(name, { definition: { ...input, Name: name, CreateTime: new Date() }, tables: new Map() });
    return {};
  }

  private getDatabase({ Name }: GetDatabaseRequest): GetDatabaseResponse {
    return { Database: this.database(Name).definition };
  }

  private createTable({ DatabaseName, TableInput: input }: CreateTableRequest): CreateTableResponse {
    const database = this.database(DatabaseName);
    const name = catalogName(input?.Name, 'TableInput.Name');
    const keys: unknown = input?.PartitionKeys;
    if (keys !== undefined && !(Array.isArray(keys) && keys.every((key: { Name?: unknown } | null) => typeof key?.Name === 'string' && key.Name !== ''))) {
      throw new AwsError(invalidInput, 'TableInput.PartitionKeys must be a list of columns, each with a Name.');
    }
    if (database.tables.has(name)) throw new AwsError('AlreadyExistsException', `Table ${name} already exists.`);
    database.tables.set(name, { databaseName: database.definition.Name, definition: { ...input, Name: name }, createdOn: new Date(), partitions: new Map() });
    return {};
  }

  private getTable({ DatabaseName, Name }: GetTableRequest): GetTableResponse {
    const { databaseName, definition, createdOn } = this.table(DatabaseName, Name);
    const table: Table = {
      ...definition,
      DatabaseName: databaseName,
      PartitionKeys: definition.PartitionKeys ?? [],
      CreateTime: createdOn,
      UpdateTime: createdOn,
      IsRegisteredWithLakeFormation: false,
    };
    return { Table: table };
  }

  private createPartition({ DatabaseName, TableName, PartitionInput: input }: CreatePartitionRequest): CreatePartitionResponse {
    const table = this.table(DatabaseName, TableName);
    requireStructure(input, 'PartitionInput', invalidInput);
    if (input.StorageDescriptor !== undefined) requireStructure(input.StorageDescriptor, 'PartitionInput.StorageDescriptor', invalidInput);
    const values = partitionValues(table, input.Values, 'PartitionInput.Values');
    const key = partitionKey(values);
    if (table.partitions.has(key)) throw new AwsError('AlreadyExistsException', 'Partition already exists.');
    table.partitions.set(key, partition(table, { ...input, Values: values }, new Date()));
    return {};
  }

  /** Replaces the partition's definition; new Values move it, as long as no other partition has them. */
  private updatePartition({ DatabaseName, TableName, PartitionValueList, PartitionInput: input }: UpdatePartitionRequest): UpdatePartitionResponse {
    const table = this.table(DatabaseName, TableName);
    requireStructure(input, 'PartitionInput', invalidInput);
    const key = partitionKey(partitionValues(table, PartitionValueList, 'PartitionValueList'));
    const existing = table.partitions.get(key);
    if (!existing) throw new AwsError('EntityNotFoundException', 'Partition not found.');
    const values = input.Values === undefined ? existing.Values! : partitionValues(table, input.Values, 'PartitionInput.Values');
    const newKey = partitionKey(values);
    if (newKey !== key && table.partitions.has(newKey)) throw new AwsError('AlreadyExistsException', 'Partition already exists.');
    table.partitions.delete(key);
    table.partitions.set(newKey, partition(table, { ...input, Values: values }, existing.CreationTime!));
    return {};
  }

  private getPartition({ DatabaseName, TableName, PartitionValues }: GetPartitionRequest): GetPartitionResponse {
    const table = this.table(DatabaseName, TableName);
    const partition = table.partitions.get(partitionKey(partitionValues(table, PartitionValues, 'PartitionValues')));
    if (!partition) throw new AwsError('EntityNotFoundException', 'Cannot find partition.');
    return { Partition: partition };
  }

  /** In the order the partitions were created, paged like the other listings. */
  private getPartitions(input: GetPartitionsRequest): GetPartitionsResponse {
    if (input.Expression !== undefined) {
      throw new AwsError(invalidInput, 'The emulator does not evaluate GetPartitions Expression: list every partition and filter them in the caller.');
    }
    const partitions = [...this.table(input.DatabaseName, input.TableName).partitions.values()];
    const { page, nextToken } = pageOf(partitions, (partition) => partitionKey(partition.Values!), input, invalidInput);
    return { Partitions: page, NextToken: nextToken };
  }

  private database(databaseName: string | undefined): CatalogDatabase {
    const name = catalogName(databaseName, 'DatabaseName');
    const database = this.databases.get(name);
    if (!database) throw new AwsError('EntityNotFoundException', `Database ${name} not found.`);
    return database;
  }

  private table(databaseName: string | undefined, tableName: string | undefined): CatalogTable {
    const database = this.database(databaseName);
    const name = catalogName(tableName, 'TableName');
    const table = database.tables.get(name);
    if (!table) throw new AwsError('EntityNotFoundException', `Table ${name} not found.`);
    return table;
  }
}

function partition(table: CatalogTable, input: PartitionInput, createdOn: Date): Partition {
  return { ...input, DatabaseName: table.databaseName, TableName: table.definition.Name, CreationTime: createdOn };
}

function catalogName(value: unknown, member: string): string {
  return requireString(value, member, invalidInput).toLowerCase();
}

/** The values, one per partition key of the table, as Glue requires. */
function partitionValues(table: CatalogTable, values: unknown, member: string): string[] {
  if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) {
    throw new AwsError(invalidInput, `${member} is required and must be a list of strings, one per partition key.`);
  }
  const keys = table.definition.PartitionKeys ?? [];
  if (values.length !== keys.length) {
    throw new AwsError(
      invalidInput,
      `The number of partition keys do not match the number of partition values: ${member} has ${values.length}, table ${table.definition.Name} has ${keys.length} partition key(s).`,
    );
  }
  return values;
}

function partitionKey(values: string[]): string {
  return JSON.stringify(values);
}
