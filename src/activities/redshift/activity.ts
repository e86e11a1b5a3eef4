import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { PipelineConfig } from '../../config/schema';
import { explainLoadFailure } from './loadFailure';
import { loadStatements, refreshStatements } from './sql';
import { runBatch } from './statements';

export interface RedshiftStepInput {
  pipeline: PipelineConfig;
  date: string;
}

export interface LoadResult {
  statementId: string;
  /** The SQL run, in order, as one transaction. */
  statements: string[];
  durationMs?: number;
  rowsLoaded?: number;
}

export interface RefreshResult {
  /** Absent when no views are configured and nothing ran. */
  statementId?: string;
  viewsRefreshed: string[];
}

export function createRedshiftActivities({ redshiftData }: { redshiftData: RedshiftDataClient }) {
  return {
    async loadToRedshift({ pipeline, date }: RedshiftStepInput): Promise<LoadResult> {
      const load = loadStatements(pipeline.redshift, date);
      const batch = await runBatch(redshiftData, pipeline.redshift, {
        sqls: load.sqls,
        statementName: `etl-${pipeline.name}-${date}-load`,
        explainFailure: explainLoadFailure(pipeline.redshift, date, load),
      });
      return {
        statementId: batch.statementId,
        statements: load.sqls,
        durationMs: batch.durationMs,
        rowsLoaded: batch.resultRows[load.insertIndex],
      };
    },

    async refreshViews({ pipeline, date }: RedshiftStepInput): Promise<RefreshResult> {
      if (pipeline.views.length === 0) return { viewsRefreshed: [] };
      const batch = await runBatch(redshiftData, pipeline.redshift, {
        sqls: refreshStatements(pipeline.views),
        statementName: `etl-${pipeline.name}-${date}-refresh`,
      });
      return { statementId: batch.statementId, viewsRefreshed: pipeline.views };
    },
  };
}
