import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type {
  BatchStopJobRunError,
  BatchStopJobRunRequest,
  BatchStopJobRunResponse,
  BatchStopJobRunSuccessfulSubmission,
  CreateJobRequest,
  CreateJobResponse,
  GetJobRequest,
  GetJobResponse,
  GetJobRunRequest,
  GetJobRunResponse,
  GetJobRunsRequest,
  GetJobRunsResponse,
  JobRun,
  StartJobRunRequest,
  StartJobRunResponse,
} from '@aws-sdk/client-glue';
import { dpusPerWorker, executionClasses, type ExecutionClass, type GlueWorkerType } from '../../shared/glueRunSettings';
import type { CloudWatchLogsEmulator } from './cloudWatchLogs';
import type { ServiceOptions } from './emulator';
import { GlueCatalog } from './glueCatalog';
import { GlueCrawlers, type RecordedCrawl } from './glueCrawlers';
import { localScriptPath, ScriptProcess, type ScriptExit } from './glueScript';
import { pageOf } from './paging';
import { AwsError, requireString, type Operations } from './protocol';
import { defaultGlueOutcome, ScriptedOutcomes, type ResolvedGlueOutcome } from './scripts';

export type GlueRunState = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | ResolvedGlueOutcome['finalState'];

export interface RecordedGlueJob {
  name: string;
  /** From ExecutionProperty.MaxConcurrentRuns; 1 when not given, as on AWS. */
  maxConcurrentRuns: number;
  createdOn: string;
  /** The CreateJob request as received. */
  definition: CreateJobRequest;
}

export interface RecordedGlueRun {
  id: string;
  jobName: string;
  /** The Arguments of StartJobRun. */
  arguments: Record<string, string>;
  state: GlueRunState;
  /**
   * How this run was scripted to end, taken from the job's outcomes when it started (the default outcome for
   * a job without a local script); absent when the run executes the job's script.
   */
  outcome?: ResolvedGlueOutcome;
  /** The local script the run executes. */
  script?: string;
  /** Minutes after which a running script is stopped and the run ends TIMEOUT. */
  timeoutMinutes: number;
  /** The capacity the run got: from StartJobRun, else the job's definition, else two G.1X workers. */
  capacity: RunCapacity;
  /** GetJobRun calls of this run so far. */
  polls: number;
  startedOn: string;
  lastModifiedOn: string;
  completedOn?: string;
  errorMessage?: string;
  executionTimeSeconds?: number;
  dpuSeconds?: number;
}

export interface RunCapacity {
  executionClass: ExecutionClass;
  /** Absent for a run sized by MaxCapacity alone. */
  workerType?: GlueWorkerType;
  numberOfWorkers?: number;
  /** The DPUs allocated: MaxCapacity as given, else the workers' DPUs. */
  maxCapacity: number;
}

export interface GlueRecording {
  jobs: RecordedGlueJob[];
  /** Oldest first. */
  runs: RecordedGlueRun[];
  /** Per job name, the highest number of its runs that were STARTING, RUNNING or STOPPING at once. */
  maxConcurrentRuns: Record<string, number>;
  /** Every crawl started, oldest first. */
  crawls: RecordedCrawl[];
}

const invalidInput = 'InvalidInputException';
const activeStates: GlueRunState[] = ['STARTING', 'RUNNING', 'STOPPING'];
const failedStates: GlueRunState[] = ['FAILED', 'ERROR', 'TIMEOUT'];
/** Two G.1X workers, the smallest Glue ETL job: the capacity of runs whose job and start name none. */
const defaultCapacity = { workerType: 'G.1X', numberOfWorkers: 2 } as const;
/** A job's Timeout when CreateJob gives none: 48 hours, as on AWS. */
const defaultTimeoutMinutes = 2880;

/**
 * Glue jobs and their runs, in memory. A run of a job whose ScriptLocation is a local file executes that script
 * (unless the job has scripted outcomes, which take precedence); other runs follow their scripted outcome.
 * Crawlers and the Data Catalog are served beside them, also in memory.
 */
export class GlueEmulator {
  private readonly jobs = new Map<string, RecordedGlueJob>();
  /** Oldest first. */
  private readonly runs: RecordedGlueRun[] = [];
  private readonly scriptedOutcomes = new ScriptedOutcomes<ResolvedGlueOutcome>();
  private readonly maxConcurrentRuns = new Map<string, number>();
  /** The script processes still running, by run id. */
  private readonly processes = new Map<string, ScriptProcess>();
  readonly crawlers = new GlueCrawlers();
  private readonly catalog = new GlueCatalog();

  constructor(
    private readonly options: ServiceOptions,
    /** Where a script's output lines go, as a Glue run's go to CloudWatch Logs. */
    private readonly logs: CloudWatchLogsEmulator,
  ) {}

  readonly operations: Operations = {
    CreateJob: (input: CreateJobRequest) => this.createJob(input),
    GetJob: (input: GetJobRequest) => this.getJob(input),
    StartJobRun: (input: StartJobRunRequest) => this.startJobRun(input),
    GetJobRun: (input: GetJobRunRequest) => this.getJobRun(input),
    GetJobRuns: (input: GetJobRunsRequest) => this.getJobRuns(input),
    BatchStopJobRun: (input: BatchStopJobRunRequest) => this.batchStopJobRun(input),
    ...this.crawlers.operations,
    ...this.catalog.operations,
  };

  /** Outcomes for the job's next runs, in order; the last one repeats. An empty list restores the default. */
  setOutcomes(jobName: string, outcomes: ResolvedGlueOutcome[]): void {
    this.scriptedOutcomes.set(jobName, outcomes);
  }

  /** Stops every script still running and waits until their processes have gone. */
  async close(): Promise<void> {
    const running = [...this.processes.values()];
    running.forEach((scriptProcess) => scriptProcess.stop());
    await Promise.all(running.map((scriptProcess) => scriptProcess.exited));
  }

  recorded(): GlueRecording {
    return {
      jobs: [...this.jobs.values()],
      runs: this.runs,
      maxConcurrentRuns: Object.fromEntries(this.maxConcurrentRuns),
      crawls: this.crawlers.recorded(),
    };
  }

  private createJob(input: CreateJobRequest): CreateJobResponse {
    const name = requireString(input.Name, 'Name', invalidInput);
    if (this.jobs.has(name)) throw new AwsError('AlreadyExistsException', `Job ${name} already exists.`);
    const maxConcurrentRuns = input.ExecutionProperty?.MaxConcurrentRuns ?? 1;
    this.jobs.set(name, { name, maxConcurrentRuns, createdOn: new Date().toISOString(), definition: input });
    return { Name: name };
  }

  private getJob(input: GetJobRequest): GetJobResponse {
    const job = this.job(input.JobName);
    // CreateJob takes Tags, a Job does not carry them.
    const { Tags: _tags, ...definition } = job.definition;
    const createdOn = new Date(job.createdOn);
    return { Job: { ...definition, CreatedOn: createdOn, LastModifiedOn: createdOn } };
  }

  private startJobRun(input: StartJobRunRequest): StartJobRunResponse {
    const job = this.job(input.JobName);
    const running = this.activeRuns(job.name).length;
    if (running >= job.maxConcurrentRuns) {
      throw new AwsError(
        'ConcurrentRunsExceededException',
        `Job ${job.name} already has ${running} active run(s), its MaxConcurrentRuns is ${job.maxConcurrentRuns}.`,
      );
    }
    const capacity = runCapacity(input, job.definition);
    const timeoutMinutes = input.Timeout ?? job.definition.Timeout ?? defaultTimeoutMinutes;
    if (!Number.isInteger(timeoutMinutes) || timeoutMinutes < 1)
      throw new AwsError(invalidInput, `Timeout must be a whole number of minutes, at least 1; got ${timeoutMinutes}.`);
    const now = new Date().toISOString();
    const outcome = this.scriptedOutcomes.next(job.name);
    const script = outcome ? undefined : localScriptPath(job.definition.Command?.ScriptLocation);
    const run: RecordedGlueRun = {
      id: `jr_${randomBytes(32).toString('hex')}`,
      jobName: job.name,
      arguments: input.Arguments ?? {},
      state: 'STARTING',
      outcome: script ? undefined : (outcome ?? defaultGlueOutcome),
      script,
      timeoutMinutes,
      capacity,
      polls: 0,
      startedOn: now,
      lastModifiedOn: now,
    };
    this.runs.push(run);
    this.maxConcurrentRuns.set(job.name, Math.max(this.maxConcurrentRuns.get(job.name) ?? 0, running + 1));
    if (script) this.runScript(run, script, job);
    else this.advance(run);
    return { JobRunId: run.id };
  }

  /** The run is RUNNING while its process lives; how the process ends decides the run's final state. */
  private runScript(run: RecordedGlueRun, script: string, job: RecordedGlueJob): void {
    // As on Glue, the run's arguments override the job's default ones.
    const args = { ...job.definition.DefaultArguments, ...run.arguments };
    const scriptProcess = new ScriptProcess(script, { jobName: job.name, runId: run.id }, args, {
      s3: this.options.s3,
      glue: this.options.glue,
      timeoutMinutes: run.timeoutMinutes,
      output: this.logs.glueRunOutput(run.id),
    });
    this.processes.set(run.id, scriptProcess);
    this.setState(run, 'RUNNING');
    void scriptProcess.exited.then((exit) => {
      this.processes.delete(run.id);
      const { state, errorMessage } = scriptOutcome(script, run, exit);
      this.finish(run, state, errorMessage);
    });
  }

  private getJobRun(input: GetJobRunRequest): GetJobRunResponse {
    const job = this.job(input.JobName);
    const runId = requireString(input.RunId, 'RunId', invalidInput);
    const run = this.runs.find((candidate) => candidate.jobName === job.name && candidate.id === runId);
    if (!run) throw new AwsError('EntityNotFoundException', `Job run ${runId} of job ${job.name} not found.`);
    run.polls += 1;
    this.advance(run);
    return { JobRun: toJobRun(run) };
  }

  /** Newest first. Listing does not count as polling, but does complete stops. */
  private getJobRuns(input: GetJobRunsRequest): GetJobRunsResponse {
    const job = this.job(input.JobName);
    const newestFirst = this.runs.filter((run) => run.jobName === job.name).reverse();
    newestFirst.forEach((run) => this.advance(run));
    const { page, nextToken } = pageOf(newestFirst, (run) => run.id, input, invalidInput);
    return { JobRuns: page.map(toJobRun), NextToken: nextToken };
  }

  private batchStopJobRun(input: BatchStopJobRunRequest): BatchStopJobRunResponse {
    const job = this.job(input.JobName);
    const successfulSubmissions: BatchStopJobRunSuccessfulSubmission[] = [];
    const errors: BatchStopJobRunError[] = [];
    for (const runId of input.JobRunIds ?? []) {
      const run = this.runs.find((candidate) => candidate.jobName === job.name && candidate.id === runId);
      if (run && activeStates.includes(run.state)) {
        this.setState(run, 'STOPPING');
        this.processes.get(run.id)?.stop();
        successfulSubmissions.push({ JobName: job.name, JobRunId: runId });
      } else {
        const ErrorDetail = run
          ? { ErrorCode: invalidInput, ErrorMessage: `Job run ${runId} has already ended with ${run.state}.` }
          : { ErrorCode: 'EntityNotFoundException', ErrorMessage: `Job run ${runId} of job ${job.name} not found.` };
        errors.push({ JobName: job.name, JobRunId: runId, ErrorDetail });
      }
    }
    return { SuccessfulSubmissions: successfulSubmissions, Errors: errors };
  }

  private job(jobName: string | undefined): RecordedGlueJob {
    const name = requireString(jobName, 'JobName', invalidInput);
    const job = this.jobs.get(name);
    if (!job) throw new AwsError('EntityNotFoundException', `Job ${name} not found. Create it with CreateJob first.`);
    return job;
  }

  private activeRuns(jobName: string): RecordedGlueRun[] {
    return this.runs.filter((run) => run.jobName === jobName && activeStates.includes(run.state));
  }

  /**
   * Moves a run along its scripted outcome: a stop completes at its next read; otherwise RUNNING until its polls
   * are used up. A run executing a script moves when its process ends instead.
   */
  private advance(run: RecordedGlueRun): void {
    if (!run.outcome) return;
    if (run.state === 'STOPPING') this.finish(run, 'STOPPED');
    else if (!activeStates.includes(run.state)) return;
    else if (run.polls >= run.outcome.pollsUntilDone) this.finish(run, run.outcome.finalState);
    else if (run.polls > 0) this.setState(run, 'RUNNING');
  }

  private finish(run: RecordedGlueRun, state: GlueRunState, errorMessage?: string): void {
    this.setState(run, state);
    run.completedOn = run.lastModifiedOn;
    // Whole seconds, rounded up as Glue bills them: a run that ran at all used some capacity.
    const elapsedSeconds = Math.ceil((Date.parse(run.completedOn) - Date.parse(run.startedOn)) / 1000);
    const scripted = run.outcome?.finalState === state ? run.outcome : undefined;
    run.executionTimeSeconds = scripted?.executionTimeSeconds ?? elapsedSeconds;
    // Glue reports DPUSeconds for FLEX runs (and auto-scaling ones, which the emulator has not): every DPU busy throughout.
    run.dpuSeconds = scripted?.dpuSeconds ?? (run.capacity.executionClass === 'FLEX' ? run.executionTimeSeconds * run.capacity.maxCapacity : undefined);
    if (failedStates.includes(state)) {
      run.errorMessage = errorMessage ?? run.outcome?.errorMessage ?? `Job run ${run.id} ended with ${state} (emulator default message).`;
    }
  }

  private setState(run: RecordedGlueRun, state: GlueRunState): void {
    if (run.state === state) return;
    run.state = state;
    run.lastModifiedOn = new Date().toISOString();
  }
}

/** A script's exit as Glue reports it: exit 0 succeeds, anything else fails with the end of its stderr. */
function scriptOutcome(script: string, run: RecordedGlueRun, exit: ScriptExit): { state: GlueRunState; errorMessage?: string } {
  if (exit.cause === 'stopped') return { state: 'STOPPED' };
  if (exit.cause === 'timedOut') {
    return {
      state: 'TIMEOUT',
      errorMessage: `Job run timed out: ${basename(script)} still ran after the run's Timeout of ${run.timeoutMinutes} minute(s), so it was stopped.`,
    };
  }
  if (exit.code === 0) return { state: 'SUCCEEDED' };
  const how = exit.code !== null ? `exited with code ${exit.code}` : exit.signal ? `was killed by ${exit.signal}` : 'could not start';
  const stderr = exit.stderrTail ? `:\n${exit.stderrTail}` : ' and wrote nothing to stderr';
  return { state: 'FAILED', errorMessage: `${basename(script)} ${how}${stderr}` };
}

/**
 * The run's capacity, checked as Glue checks it: a worker type with its number of workers or a MaxCapacity, not
 * both; FLEX only for Spark ETL jobs. What StartJobRun leaves out comes from the job's definition.
 */
function runCapacity(input: StartJobRunRequest, job: CreateJobRequest): RunCapacity {
  const executionClass = input.ExecutionClass ?? job.ExecutionClass ?? 'STANDARD';
  if (!executionClasses.includes(executionClass)) {
    throw new AwsError(invalidInput, `ExecutionClass must be one of ${executionClasses.join(', ')}; got ${executionClass}.`);
  }
  if (executionClass === 'FLEX' && job.Command?.Name !== 'glueetl') {
    throw new AwsError(invalidInput, 'Only jobs with Glue version 3.0 and above and command type glueetl will be allowed to set ExecutionClass to FLEX.');
  }
  const byWorkers = input.WorkerType !== undefined || input.NumberOfWorkers !== undefined;
  const workerType = input.WorkerType ?? job.WorkerType;
  const numberOfWorkers = input.NumberOfWorkers ?? job.NumberOfWorkers;
  const maxCapacity = byWorkers ? undefined : (input.MaxCapacity ?? job.MaxCapacity);
  if (byWorkers && input.MaxCapacity !== undefined) {
    throw new AwsError(invalidInput, 'Please do not set Max Capacity if using Worker Type and Number of Workers.');
  }
  if (workerType === undefined && numberOfWorkers === undefined) {
    return maxCapacity !== undefined ? { executionClass, maxCapacity } : { executionClass, ...defaultCapacity, maxCapacity: defaultCapacity.numberOfWorkers };
  }
  if (workerType === undefined || numberOfWorkers === undefined) throw new AwsError(invalidInput, 'Please set both Worker Type and Number of Workers.');
  if (!(workerType in dpusPerWorker)) throw new AwsError(invalidInput, `WorkerType ${workerType} is not one of ${Object.keys(dpusPerWorker).join(', ')}.`);
  if (!Number.isInteger(numberOfWorkers) || numberOfWorkers < 1) {
    throw new AwsError(invalidInput, `NumberOfWorkers must be a whole number, at least 1; got ${numberOfWorkers}.`);
  }
  return { executionClass, workerType, numberOfWorkers, maxCapacity: numberOfWorkers * dpusPerWorker[workerType] };
}

function toJobRun(run: RecordedGlueRun): JobRun {
  return {
    Id: run.id,
    Attempt: 0,
    JobName: run.jobName,
    JobRunState: run.state,
    Arguments: run.arguments,
    StartedOn: new Date(run.startedOn),
    LastModifiedOn: new Date(run.lastModifiedOn),
    CompletedOn: run.completedOn === undefined ? undefined : new Date(run.completedOn),
    ErrorMessage: run.errorMessage,
    Timeout: run.timeoutMinutes,
    ExecutionTime: run.executionTimeSeconds,
    DPUSeconds: run.dpuSeconds,
    ExecutionClass: run.capacity.executionClass,
    WorkerType: run.capacity.workerType,
    NumberOfWorkers: run.capacity.numberOfWorkers,
    MaxCapacity: run.capacity.maxCapacity,
  };
}
