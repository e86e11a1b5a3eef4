import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { localDir } from '../paths';
import type { LocalS3 } from './emulator';
import { AwsError } from './protocol';

export interface GlueScriptOptions {
  /** Runs .py scripts; default the project's .local/venv/bin/python. Without one, a script runs as an executable. */
  python?: string;
  /** How long one minute of a job's Timeout lasts, in milliseconds: 60 000, unless a test shortens it. */
  timeoutMinuteMs?: number;
  /**
   * A file for each run's output, stdout and stderr together: `<logDir>/<job name>/<run id>.log`. Without it no file
   * is written; the lines still reach the emulated CloudWatch Logs, and the end of stderr a failed run's ErrorMessage.
   */
  logDir?: string;
}

/** Where a run's output lines go as the script writes them, as Glue sends a driver's output to CloudWatch Logs. */
export interface ScriptOutput {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** How a script's process ended: by itself with an exit code or signal, or because it was stopped or timed out. */
export interface ScriptExit {
  cause: 'exited' | 'stopped' | 'timedOut';
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what it wrote to stderr, from a line start; or why it could not start (code and signal null). */
  stderrTail: string;
}

/** Glue passes these before the run's own arguments, as real Glue does. */
export interface ScriptRunIdentity {
  jobName: string;
  runId: string;
}

const projectPython = join(localDir, 'venv', 'bin', 'python');
/** Enough of a Python traceback to name the error and where it happened, as Glue's ErrorMessage would. */
const stderrTailBytes = 2048;
/** A stopped script gets this long to exit on SIGTERM before its process group is killed. */
const stopGraceMs = 2000;
/** After the script exits, how long its stdout and stderr may take to deliver their last lines. */
const pipeDrainMs = 1000;
/** A line without an end is passed on in pieces of this many characters at most. */
const longestLine = 256 * 1024;
/** Timers cannot wait longer than this (about 24 days); a longer Timeout is cut to it. */
const longestTimerMs = 2 ** 31 - 1;

/** The local file a job's Command.ScriptLocation names (a file:// URL or an absolute path), if it names one. */
export function localScriptPath(scriptLocation: string | undefined): string | undefined {
  if (!scriptLocation?.startsWith('file://')) return scriptLocation && isAbsolute(scriptLocation) ? scriptLocation : undefined;
  try {
    return fileURLToPath(scriptLocation);
  } catch (error) {
    throw new AwsError('InvalidInputException', `The job's ScriptLocation ${scriptLocation} is not a local file URL: ${(error as Error).message}.`);
  }
}

/**
 * A job script running as a child process in a process group of its own, so that stopping it (or the end of
 * the emulator) also ends whatever it started. Arguments go in argv in Glue's `--name value` form.
 */
export class ScriptProcess {
  readonly exited: Promise<ScriptExit>;
  private readonly pid: number | undefined;
  private cause: ScriptExit['cause'] = 'exited';
  private running = true;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    script: string,
    identity: ScriptRunIdentity,
    args: Record<string, string>,
    options: { s3?: LocalS3; glue?: GlueScriptOptions; timeoutMinutes: number; output: ScriptOutput },
  ) {
    const python = options.glue?.python ?? (existsSync(projectPython) ? projectPython : undefined);
    const argv = [script, '--JOB_NAME', identity.jobName, '--JOB_RUN_ID', identity.runId, ...Object.entries(args).flat()];
    const [command, ...commandArgs] = script.endsWith('.py') && python ? [python, ...argv] : argv;
    const log = options.glue?.logDir === undefined ? undefined : openRunLog(options.glue.logDir, identity);
    const child = spawn(command, commandArgs, {
      cwd: dirname(script),
      env: scriptEnvironment(options.s3),
      // Its own process group: a stop signals the group, not just the script.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = child.pid;
    const stderr = new Tail(stderrTailBytes);
    const toLog = (chunk: Buffer) => {
      if (log !== undefined && this.running) writeSync(log, chunk);
    };
    child.stdout.on('data', toLog);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      toLog(chunk);
    });
    eachLine(child.stdout, options.output.stdout);
    eachLine(child.stderr, options.output.stderr);

    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    this.exited = new Promise((resolve) => {
      const end = (code: number | null, signal: NodeJS.Signals | null, startError?: Error) => {
        if (!this.running) return;
        this.running = false;
        this.timers.forEach(clearTimeout);
        if (log !== undefined) closeSync(log);
        resolve({ cause: this.cause, code, signal, stderrTail: startError?.message ?? stderr.text() });
      };
      child.once('error', (error) => end(null, null, error));
      child.once('exit', (code, signal) => {
        // Whatever the script left behind in its group ends with it, as a Glue run's container does; then the
        // stderr pipe closes with its last lines read (a process outside the group may hold it: not for long).
        this.signalGroup('SIGKILL');
        void Promise.race([closed, sleep(pipeDrainMs)]).then(() => end(code, signal));
      });
    });

    const timeoutMs = options.timeoutMinutes * (options.glue?.timeoutMinuteMs ?? 60_000);
    this.timers.push(setTimeout(() => this.end('timedOut'), Math.min(timeoutMs, longestTimerMs)));
  }

  /** Asks the script's process group to end (SIGTERM), then kills it after a grace period. */
  stop(): void {
    this.end('stopped');
  }

  private end(cause: ScriptExit['cause']): void {
    if (!this.running || this.cause !== 'exited') return;
    this.cause = cause;
    this.signalGroup('SIGTERM');
    this.timers.push(setTimeout(() => this.signalGroup('SIGKILL'), stopGraceMs));
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.pid === undefined) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // The group has already gone.
    }
  }
}

/** Unref'd: a pending drain never keeps the emulator's process alive. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

function openRunLog(logDir: string, { jobName, runId }: ScriptRunIdentity): number {
  const folder = join(logDir, jobName);
  mkdirSync(folder, { recursive: true });
  return openSync(join(folder, `${runId}.log`), 'a');
}

/** The emulator's environment, with the local S3's endpoint and credentials in place of any AWS settings. */
function scriptEnvironment(s3: LocalS3 | undefined): NodeJS.ProcessEnv {
  if (!s3) return process.env;
  const withoutAws = Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_'));
  return {
    ...Object.fromEntries(withoutAws),
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_REGION: s3.region,
    AWS_DEFAULT_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  };
}

/** Calls `line` with each line of the stream as it arrives, and with an unended last line when the stream ends. */
function eachLine(stream: Readable, line: (text: string) => void): void {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (partial + decoder.write(chunk)).split('\n');
    partial = lines.pop()!;
    lines.forEach((text) => line(text.replace(/\r$/, '')));
    for (; partial.length > longestLine; partial = partial.slice(longestLine)) line(partial.slice(0, longestLine));
  });
  stream.on('end', () => {
    const rest = partial + decoder.end();
    if (rest) line(rest);
  });
}

/** The last bytes of a stream, kept in bounded memory. */
class Tail {
  private chunks: Buffer[] = [];
  private length = 0;
  private cut = false;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    while (this.length - this.chunks[0].length >= this.limit) {
      this.length -= this.chunks.shift()!.length;
      this.cut = true;
    }
  }

  /** The kept text; when the start was cut, from the first whole line on. */
  text(): string {
    const bytes = Buffer.concat(this.chunks);
    const start = bytes.length > this.limit ? bytes.length - this.limit : 0;
    let text = bytes.subarray(start).toString('utf8');
    if (this.cut || start > 0) text = `…${text.slice(text.indexOf('\n') + 1)}`;
    return text.trim();
  }
}
