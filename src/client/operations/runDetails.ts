import type { NewRunInput } from '../../shared/pipelineRun';
import { stepsOfKind } from '../../shared/pipelineSteps';
import { searchAttributes } from '../../shared/searchAttributes';
import { workflowsQueryUiUrl } from '../../shared/temporalUi';
import { configVersion } from './configVersion';

/** Where the run is shown: links to other runs need the UI's address, which only the caller knows. */
export interface RunDetailsContext {
  namespace: string;
  uiUrl?: string;
}

/** The run's markdown details in the Temporal UI: what it processes, with which config, and where. */
export function runDetails({ pipeline, date, trigger }: NewRunInput, { namespace, uiUrl }: RunDetailsContext): string {
  const { bucket, prefixes } = pipeline.s3;
  const rawPrefix = `${prefixes.raw}${date}/`;
  const { redshift, steps } = pipeline;
  const where = redshift && (redshift.workgroupName ? `workgroup \`${redshift.workgroupName}\`` : `cluster \`${redshift.clusterIdentifier}\``);
  const lines = [
    `**Pipeline** ${pipeline.name}${pipeline.description ? ` — ${pipeline.description}` : ''}`,
    `**Date** ${date} · **Trigger** ${trigger} · **Config version** \`${configVersion(pipeline)}\``,
    `**Raw files** [s3://${bucket}/${rawPrefix}](https://s3.console.aws.amazon.com/s3/buckets/${bucket}?prefix=${encodeURIComponent(rawPrefix)})`,
    `**Steps** ${steps.map((step) => step.id).join(' → ')}`,
    ...stepsOfKind(pipeline, 'glue').map((glue) => `**Glue job** \`${glue.jobName}\``),
    // A pipeline with a load step has a Redshift connection, as the config schema enforces.
    ...stepsOfKind(pipeline, 'load').map((load) => `**Redshift table** \`${load.table}\` in database \`${redshift!.database}\`, ${where}`),
  ];
  if (uiUrl) {
    // Absolute: the UI renders these details in a frame of their own, where a relative link would open inside it.
    const pipelineRuns = workflowsQueryUiUrl(uiUrl, namespace, `${searchAttributes.pipeline.name} = '${pipeline.name}'`);
    lines.push(`[All ${pipeline.name} runs](${pipelineRuns})`);
  }
  return lines.join('\n\n');
}
