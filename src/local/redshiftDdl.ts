import { readFileSync } from 'node:fs';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { PipelineConfig } from '../config/schema';
import { redshiftOf } from '../shared/activityInputs';
import { runSql, SqlError, sqlStatements } from '../redshift/runSql';

/**
 * Creates a pipeline's table and views on the local Redshift from its `redshift.ddl` file, statement by
 * statement; what already exists is left as it is, so this is safe to repeat and keeps the rows loaded so far.
 */
export async function applyDdl(redshiftData: RedshiftDataClient, pipeline: PipelineConfig): Promise<void> {
  const ddl = pipeline.redshift?.ddl;
  if (!ddl) return;
  let text: string;
  try {
    text = readFileSync(ddl, 'utf8');
  } catch (err) {
    throw new Error(`pipeline ${pipeline.name}: cannot read its redshift.ddl file ${ddl}: ${(err as Error).message}`, { cause: err });
  }
  for (const sql of sqlStatements(text)) {
    try {
      await runSql(redshiftData, redshiftOf(pipeline), sql);
    } catch (err) {
      if (!(err instanceof SqlError && /already exists/i.test(err.message))) {
        throw new Error(`pipeline ${pipeline.name}: ${ddl} failed on the local Redshift: ${(err as Error).message}\n${sql}`, { cause: err });
      }
    }
  }
}
