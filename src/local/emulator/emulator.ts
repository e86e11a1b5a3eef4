import { CloudWatchLogsEmulator } from './cloudWatchLogs';
import { FaultScript, type FaultAnswer } from './faults';
import { GlueEmulator, type GlueRecording } from './glue';
import type { GlueScriptOptions } from './glueScript';
import type { Operations } from './protocol';
import { RedshiftDataEmulator, type RecordedStatement, type RedshiftDataOptions } from './redshiftData';

export interface RecordedRequest {
  /** The X-Amz-Target header, such as "AWSGlue.StartJobRun". */
  target: string;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** The scripted answer that replaced the real one, after the request was carried out. */
  fault?: FaultAnswer;
}

/** Everything the emulator received and what became of it; each list is oldest first. */
export interface EmulatorRecording {
  glue: GlueRecording;
  redshift: { statements: RecordedStatement[] };
  requests: RecordedRequest[];
}

/** The local S3 the services work against: Glue job scripts read and write there, Redshift's COPY reads there. */
export interface LocalS3 {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** What the emulated services need to know about the stack around them. */
export interface ServiceOptions {
  /** Without it, job scripts see the emulator's own AWS environment. */
  s3?: LocalS3;
  glue?: GlueScriptOptions;
  /** The local Redshift's data folder and result paging; COPY reads from `s3`. */
  redshift?: Omit<RedshiftDataOptions, 's3'>;
}

/** The state behind one emulator server: the services, the scripted faults and the request log. */
export class EmulatorState {
  /** The Glue runs' output: their scripts' stdout and stderr. */
  logs = new CloudWatchLogsEmulator();
  glue: GlueEmulator;
  readonly redshift: RedshiftDataEmulator;
  faults = new FaultScript();
  requests: RecordedRequest[] = [];

  constructor(private readonly options: ServiceOptions = {}) {
    this.glue = new GlueEmulator(options, this.logs);
    this.redshift = new RedshiftDataEmulator({ ...options.redshift, s3: options.s3 });
  }

  /**
   * Forgets jobs, runs and their logs, crawlers, the Data Catalog, statements, scripts, faults and requests; job scripts still running are stopped.
   * Redshift databases in memory are dropped; those in a data folder are kept (delete the folder to drop them).
   */
  async reset(): Promise<void> {
    await Promise.all([this.glue.close(), this.redshift.reset()]);
    this.logs = new CloudWatchLogsEmulator();
    this.glue = new GlueEmulator(this.options, this.logs);
    this.faults = new FaultScript();
    this.requests = [];
  }

  /** Stops what the services still run, so no process or database outlives the emulator. */
  async close(): Promise<void> {
    await Promise.all([this.glue.close(), this.redshift.close()]);
  }

  /** The handler for an X-Amz-Target such as "RedshiftData.ExecuteStatement", if emulated. */
  operation(target: string): Operations[string] | undefined {
    const [service, name] = target.split('.');
    const operations = this.services()[service];
    return operations && Object.hasOwn(operations, name) ? operations[name] : undefined;
  }

  supportedTargets(): string[] {
    return Object.entries(this.services()).flatMap(([service, operations]) => Object.keys(operations).map((name) => `${service}.${name}`));
  }

  recording(): EmulatorRecording {
    return { glue: this.glue.recorded(), redshift: { statements: this.redshift.recorded() }, requests: this.requests };
  }

  /** Keyed by the X-Amz-Target prefix each SDK client sends. */
  private services(): Record<string, Operations> {
    return { AWSGlue: this.glue.operations, RedshiftData: this.redshift.operations, Logs_20140328: this.logs.operations };
  }
}
