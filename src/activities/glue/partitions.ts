import {
  AlreadyExistsException,
  CreatePartitionCommand,
  EntityNotFoundException,
  GetTableCommand,
  UpdatePartitionCommand,
  type GlueClient,
  type PartitionInput,
  type Table,
} from '@aws-sdk/client-glue';
import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { renderTemplate } from '../../shared/dates';
import { errorTypes } from '../../shared/errorTypes';
import type { PartitionResult } from '../../shared/stepResults';

export interface RegisterPartitionInput {
  pipelineName: string;
  /** 'YYYY-MM-DD', already validated. */
  date: string;
  /** The Glue Data Catalog database and table. */
  database: string;
  table: string;
  /** One per partition key of the table, in the keys' order; templates the activity renders for `date`. */
  values: string[];
  /** The s3:// folder of the date's files; a template the activity renders for `date`. */
  location: string;
}

/**
 * The partitions step: registers the date's partition in the Glue Data Catalog, so Athena and Redshift Spectrum
 * read the date's files without MSCK REPAIR TABLE or a crawler.
 */
export function createPartitionActivities({ glue }: { glue: GlueClient }) {
  return {
    /**
     * CreatePartition with the table's storage settings and the date's location; a partition that exists (a rerun,
     * a retry, a crawler) is updated to point there instead, so the table ends with exactly one partition for the date.
     */
    async registerPartition(input: RegisterPartitionInput): Promise<PartitionResult> {
      const { pipelineName, date, database, table } = input;
      const values = input.values.map((value) => renderTemplate(value, { date }));
      const location = renderTemplate(input.location, { date });
      const definition = await getTable(glue, database, table);
      checkValues(definition, values, `${database}.${table}`);
      const partition: PartitionInput = { Values: values, StorageDescriptor: { ...definition.StorageDescriptor, Location: location } };
      const action = await createOrUpdate(glue, { DatabaseName: database, TableName: table, PartitionInput: partition }, `${database}.${table}`);
      log.info(`Glue partition ${action}`, { pipelineName, database, table, values, location });
      return { database, table, values, location, action };
    },
  };
}

async function getTable(glue: GlueClient, database: string, table: string): Promise<Table> {
  try {
    const { Table: definition } = await glue.send(new GetTableCommand({ DatabaseName: database, Name: table }));
    if (!definition) throw new Error(`Glue GetTable for ${database}.${table} returned no table`);
    return definition;
  } catch (err) {
    throw tableFailure(err, database, table);
  }
}

/** Glue takes one value per partition key, in order; a mismatch would only be refused later, or land under the wrong key. */
function checkValues({ PartitionKeys: keys = [] }: Table, values: string[], tableName: string): void {
  if (values.length === keys.length) return;
  const keyNames = keys.map((key) => key.Name).join(', ') || 'nothing (it is not partitioned)';
  throw ApplicationFailure.nonRetryable(
    `Glue table ${tableName} is partitioned by ${keyNames}, but the partitions step gives ${values.length} value(s) (${values.join(', ')}): ` +
      `give one value per partition key, in the table's order.`,
    errorTypes.InvalidPartitionValues,
    { table: tableName, partitionKeys: keys.map((key) => key.Name), values },
  );
}

async function createOrUpdate(
  glue: GlueClient,
  request: { DatabaseName: string; TableName: string; PartitionInput: PartitionInput },
  tableName: string,
): Promise<PartitionResult['action']> {
  try {
    await glue.send(new CreatePartitionCommand(request));
    return 'created';
  } catch (err) {
    if (!(err instanceof AlreadyExistsException)) throw tableFailure(err, request.DatabaseName, request.TableName);
    log.info('Glue partition exists: pointing it to the date location', { table: tableName, values: request.PartitionInput.Values });
  }
  await glue.send(new UpdatePartitionCommand({ ...request, PartitionValueList: request.PartitionInput.Values }));
  return 'updated';
}

/** Says what a Data Catalog error means for the pipeline: a missing database or table is fixed in Glue or in the config. */
function tableFailure(err: unknown, database: string, table: string): unknown {
  if (err instanceof EntityNotFoundException) {
    return ApplicationFailure.nonRetryable(
      `Glue table ${database}.${table} cannot be found (${err.message}): create it in the Data Catalog (a crawler, or CREATE EXTERNAL TABLE in Athena), ` +
        `or fix the database and table in the pipeline's partitions step.`,
      errorTypes.GlueTableNotFound,
    );
  }
  return err;
}
