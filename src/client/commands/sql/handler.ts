import { loadPipeline } from '../../../config/load';
import { runSql, SqlError } from '../../../redshift/runSql';
import { createAwsClients } from '../../../aws/awsClients';
import { AwsServiceError, parseInput, UsageError } from '../../errors';
import { resolveTarget } from '../../../target/target';
import { resultLines } from './output';

/** `etl sql`: one statement against the pipeline's Redshift, through the Data API; a table of its rows. */
export async function sqlCommand(words: string[], options: { pipeline: string; json: boolean; configDir?: string }) {
  const pipeline = parseInput(() => loadPipeline(options.pipeline, options.configDir));
  const sql = words.join(' ').trim();
  if (!sql) throw new UsageError('give the SQL to run, such as: etl sql --pipeline orders "SELECT COUNT(*) FROM public.fct_orders"');
  const { redshift } = pipeline;
  if (!redshift) throw new UsageError(`pipeline ${pipeline.name} has no redshift connection: set redshift in its config to run SQL against it`);
  const { redshiftData } = createAwsClients(resolveTarget().aws);
  try {
    const result = await runSql(redshiftData, redshift, sql);
    console.log(options.json ? JSON.stringify(result, null, 2) : resultLines(result).join('\n'));
  } catch (err) {
    if (!(err instanceof SqlError)) throw new AwsServiceError('the Redshift Data API', err);
    process.exitCode = 1;
    console.error(`etl: Redshift (${redshift.workgroupName ?? redshift.clusterIdentifier}/${redshift.database}) refused it: ${err.message}`);
  } finally {
    redshiftData.destroy();
  }
}
