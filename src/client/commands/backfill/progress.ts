import { SingleBar } from 'cli-progress';
import type { BackfillProgress } from '../../../shared/backfill';

/** Shows a backfill's progress while `etl backfill --wait` watches it. */
export interface ProgressReporter {
  update(progress: BackfillProgress): void;
  stop(): void;
}

/** A progress bar on a terminal; otherwise (a log, a pipe, CI) a plain line each time the counts change. */
export function progressReporter(stream: NodeJS.WriteStream, say: (line: string) => void): ProgressReporter {
  return stream.isTTY ? barReporter(stream) : lineReporter(say);
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new SingleBar({
    stream,
    format: '{bar} {value}/{total} dates | {succeeded} succeeded, {failed} failed, {running} running | ETA {remaining}',
    barsize: 30,
  });
  const eta = etaEstimator();
  let started = false;
  return {
    update(progress) {
      const values = { ...progress, remaining: formatEta(eta(progress)) };
      if (!started) bar.start(progress.total, done(progress), values);
      else bar.update(done(progress), values);
      started = true;
    },
    stop: () => started && bar.stop(),
  };
}

function lineReporter(say: (line: string) => void): ProgressReporter {
  const eta = etaEstimator();
  let last = '';
  return {
    update(progress) {
      const remaining = eta(progress);
      const counts = `${progress.succeeded}/${progress.failed}/${progress.running}`;
      if (counts !== last) say(progressLine(progress, remaining));
      last = counts;
    },
    stop: () => undefined,
  };
}

/** For example "4/10 dates done: 3 succeeded, 1 failed; 3 running, 3 pending; ETA 2m 10s". */
export function progressLine(progress: BackfillProgress, remainingMs?: number): string {
  const { total, succeeded, failed, running, pending } = progress;
  return `${done(progress)}/${total} dates done: ${succeeded} succeeded, ${failed} failed; ${running} running, ${pending} pending; ETA ${formatEta(remainingMs)}`;
}

const done = ({ succeeded, failed }: BackfillProgress) => succeeded + failed;

/** Time left at the pace dates have finished since watching began; unknown until one has finished. */
function etaEstimator(now: () => number = Date.now): (progress: BackfillProgress) => number | undefined {
  let first: { at: number; done: number } | undefined;
  return (progress) => {
    first ??= { at: now(), done: done(progress) };
    const finished = done(progress) - first.done;
    if (finished <= 0) return undefined;
    return ((now() - first.at) / finished) * (progress.total - done(progress));
  };
}

/** "45s", "3m 05s", "2h 07m"; "unknown" before any date has finished. */
export function formatEta(ms: number | undefined): string {
  if (ms === undefined) return 'unknown';
  const seconds = Math.round(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${pad(Math.floor(seconds / 60) % 60)}m`;
}
