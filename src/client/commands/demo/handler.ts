import { loadAllPipelines, loadPipeline } from '../../../config/load';
import { parseRunDate } from '../../../shared/dates';
import { sampleDates, uploadSampleFiles } from '../../../local/sampleData';
import { createAwsClients } from '../../../aws/awsClients';
import { parseInput, UsageError } from '../../errors';
import { runPipeline } from '../run/handler';
import { loadedDataLines } from './loadedData';
import { resolveTarget } from '../../../target/target';
import { applyLocalStackSchedules } from '../schedule/handler';
import { withLocalStack } from '../stack/handler';

/** The Quick start's main job: the sample pipeline for a sample date on the local stack, start to finish. */
export async function demoCommand(options: { pipeline: string; date: string }) {
  const pipeline = parseInput(() => loadPipeline(options.pipeline));
  const date = parseInput(() => parseRunDate(options.date));
  if (!sampleDates(pipeline.name).includes(date)) {
    throw new UsageError(`no sample files for ${pipeline.name} ${date}: sample dates are ${sampleDates(pipeline.name).join(', ')}`);
  }
  const allPipelines = parseInput(() => loadAllPipelines());

  console.log('Starting the local stack (Temporal dev server + UI, moto, Glue/Redshift emulator, worker)...');
  let startedHere = false;
  // Ctrl-C stops what the demo started, as a finished demo does; the run itself stays in Temporal's history.
  await withLocalStack('stop', async ({ started }) => {
    startedHere = started;
    const target = resolveTarget({ localStack: true });
    await target.prepare([pipeline]);
    // As `etl stack up` does, so the UI's Schedules page shows them.
    for (const line of await applyLocalStackSchedules(allPipelines)) console.log(line);
    const aws = createAwsClients(target.aws);
    try {
      const keys = await uploadSampleFiles(aws.s3, pipeline, date);
      console.log(`Landed ${keys.length} sample file(s) in s3://${pipeline.s3.bucket}/${pipeline.s3.prefixes.raw}${date}/`);
      process.exitCode = await runPipeline(target, { pipeline, date, trigger: 'manual', wait: true, json: false });
      // Where the rows went: the answer to the first question after "Run succeeded".
      if (process.exitCode === 0) for (const line of await loadedDataLines(aws.redshiftData, pipeline, date)) console.log(line);
    } finally {
      Object.values(aws).forEach((client) => client.destroy());
    }
  });
  console.log(
    startedHere
      ? 'Stopped the local stack this demo started. Its history is kept: `etl stack up` brings the UI back.'
      : 'The local stack keeps running (it was already up): `etl stack down` stops it.',
  );
}
