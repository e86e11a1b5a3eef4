import { loadPipeline } from '../../../config/load';
import { parseRunDate } from '../../../shared/dates';
import { createAwsClients } from '../../../aws/awsClients';
import { dropRejectedFile } from '../../operations/dropRejectedFile';
import { AwsServiceError, parseInput, UsageError } from '../../errors';
import { resolveTarget } from '../../../target/target';

export async function dropFileCommand(options: { pipeline: string; date: string; file: string; reason?: string; configDir?: string }) {
  const pipeline = parseInput(() => loadPipeline(options.pipeline, options.configDir));
  const date = parseInput(() => parseRunDate(options.date));
  const { s3 } = createAwsClients(resolveTarget().aws);
  try {
    const dropped = await dropRejectedFile(s3, pipeline, date, options.file, options.reason).catch((err: unknown) => {
      throw err instanceof UsageError ? err : new AwsServiceError('S3', err);
    });
    console.log(`Dropped ${options.file} from ${pipeline.name} ${date}: moved to ${dropped.movedTo} (record: ${dropped.record}).`);
    console.log(`Run the date again to load it without this file: etl run --pipeline ${pipeline.name} --date ${date} --wait`);
  } finally {
    s3.destroy();
  }
}
