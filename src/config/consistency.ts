import { renderTemplate } from '../shared/dates';
import { holds, stepsOfKind } from '../shared/pipelineSteps';
import { archivePrefix, type PipelineConfig, type Problem, type StepLocator, type StepOf } from './schema';

/**
 * Where the COPY source and the Glue job's arguments point must agree with `s3`: the bucket and the prefixes
 * are the pipeline's folders, and the load reads what the Glue job wrote under s3.prefixes.processed. Checked
 * by the loader only: a run recorded before this check replays with the schema it ran with.
 */
export function contradictions(pipeline: PipelineConfig, locate: StepLocator): Problem[] {
  const copySources = pipeline.steps.flatMap((step, index) =>
    step.kind === 'load' ? copySourceProblems(pipeline, step, locate(index, step, 'copy', 'source')) : [],
  );
  // A COPY source outside the processed prefix is the one mistake, not also the Glue output that disagrees with it.
  const compareOutput = copySources.length === 0;
  return [
    ...copySources,
    ...pipeline.steps.flatMap((step, index) =>
      step.kind === 'glue' ? glueArgumentProblems(pipeline, step, (name) => locate(index, step, 'arguments', name), { compareOutput }) : [],
    ),
    ...(compareOutput ? unwrittenCopySources(pipeline, locate) : []),
  ];
}

/**
 * A load after Glue steps reads what one of them wrote: a COPY source no earlier Glue step's output (an argument
 * naming it, or `output`) covers would load nothing, or files no run of this date wrote.
 */
function unwrittenCopySources(pipeline: PipelineConfig, locate: StepLocator): Problem[] {
  return pipeline.steps.flatMap((step, index): Problem[] => {
    if (step.kind !== 'load') return [];
    const glues = stepsOfKind({ steps: pipeline.steps.slice(0, index) }, 'glue');
    if (glues.length === 0 || glues.some((glue) => glue.output && holds(glue.output, step.copy.source))) return [];
    return [
      {
        path: locate(index, step, 'copy', 'source'),
        message:
          `no Glue step before it writes ${step.copy.source}: none of their arguments names it (or a folder holding it). ` +
          `Point the Glue job's output argument there, or give the step that writes it output: "${step.copy.source}"`,
      },
    ];
  });
}

function parseS3Url(text: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(text);
  return match ? { bucket: match[1], key: match[2] } : undefined;
}

/** Any date will do: both sides are compared once rendered, so `{{ date }}` and `{{date}}` agree. */
const rendered = (text: string) => renderTemplate(text, { date: '2000-01-01' });

/** How to write `url`, which should lie under s3.prefixes.<prefixName>, with placeholders (outside it: the date's folder). */
function writtenWithPlaceholders(url: { key: string }, prefixName: string, prefix: string): string {
  const below = url.key.startsWith(prefix) ? url.key.slice(prefix.length) : '{{date}}/';
  return `s3://{{bucket}}/{{prefixes.${prefixName}}}${below}`;
}

function copySourceProblems({ s3 }: PipelineConfig, load: StepOf<'load'>, path: PropertyKey[]): Problem[] {
  const { source } = load.copy;
  const processed = `s3://${s3.bucket}/${s3.prefixes.processed}`;
  if (source.startsWith(processed)) return [];
  const url = parseS3Url(source)!;
  // Output kept in a bucket of its own is a choice, not a contradiction; the Glue arguments must then agree with it.
  if (url.bucket !== s3.bucket) return [];
  const where = `s3.prefixes.processed (${s3.prefixes.processed})`;
  return [
    {
      path,
      message:
        `${source} is not under ${processed}, so it disagrees with ${where}: the load reads the Glue job's output, ` +
        `which lies under s3.prefixes.processed; write it as "${writtenWithPlaceholders(url, 'processed', s3.prefixes.processed)}", ` +
        `or leave it out for the date's folder there`,
    },
  ];
}

/** Arguments that name one of the pipeline's folders: the same bucket, and the job writes where the load reads. */
function glueArgumentProblems(
  pipeline: PipelineConfig,
  glue: StepOf<'glue'>,
  argumentPath: (name: string) => PropertyKey[],
  { compareOutput }: { compareOutput: boolean },
): Problem[] {
  const { s3 } = pipeline;
  const folders = Object.entries({ ...s3.prefixes, archive: archivePrefix(pipeline) });
  return Object.entries(glue.arguments).flatMap(([name, value]): Problem[] => {
    const url = parseS3Url(value);
    const folder = url && folders.find(([, prefix]) => url.key.startsWith(prefix));
    if (!url || !folder) return [];
    const [prefixName, prefix] = folder;
    const path = argumentPath(name);
    if (url.bucket !== s3.bucket) {
      return [
        {
          path,
          message:
            `${value} names s3.prefixes.${prefixName} (${prefix}) in bucket ${url.bucket}, but s3.bucket is ${s3.bucket}: ` +
            `write it as "${writtenWithPlaceholders(url, prefixName, prefix)}"`,
        },
      ];
    }
    // The job may write a whole tree of date folders (the COPY source one of them), not only the date's.
    const { output } = glue;
    if (prefixName !== 'processed' || !compareOutput || !output || rendered(output).startsWith(rendered(value))) return [];
    return [
      {
        path,
        message:
          `the Glue job writes ${value}, but the step's output folder is ${output}, so the load would not read ` +
          `what the job wrote: make them the same folder (or the COPY source a folder inside this one)`,
      },
    ];
  });
}
