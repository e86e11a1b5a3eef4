import { alignColumns } from '../../table';
import type { DateOutcome } from '../../../shared/runOutcome';
import { outcomeLabel, outcomeWords } from '../../outcomeWords';
import type { DateStatusRow } from '../../operations/runHistory';
import type { RunCost } from '../../operations/runCost';
import { formatCost } from '../../../shared/glueCost';

/** A date of the grid, with what its run's Glue steps are estimated to have cost. */
export type StatusRow = DateStatusRow & { cost?: RunCost };

/** "45s", "1m 12s", "2h 5m"; "<1s" for a run quicker than a second. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 1) return '<1s';
  const [hours, minutes, rest] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  if (hours) return `${hours}h ${minutes}m`;
  return minutes ? `${minutes}m ${rest}s` : `${rest}s`;
}

const columns: { title: string; cell: (row: StatusRow, now: Date) => string | undefined }[] = [
  { title: 'DATE', cell: (row) => row.date },
  { title: 'OUTCOME', cell: outcomeLabel },
  { title: 'TRIGGER', cell: (row) => row.trigger },
  { title: 'STARTED (UTC)', cell: (row) => row.startTime?.toISOString().slice(0, 19).replace('T', ' ') },
  {
    title: 'DURATION',
    cell: ({ startTime, durationMs }, now) =>
      durationMs !== undefined ? formatDuration(durationMs) : startTime && `${formatDuration(now.getTime() - startTime.getTime())} so far`,
  },
  { title: 'COST (EST.)', cell: (row) => row.cost && formatCost(row.cost) },
  { title: 'TEMPORAL UI', cell: (row) => row.uiUrl },
];

/** The status grid: a header, one aligned line per date ("-" where there is nothing to say), and a summary line. */
export function statusGrid(pipeline: string, rows: StatusRow[], now: Date): string[] {
  const cells = [columns.map((column) => column.title), ...rows.map((row) => columns.map((column) => column.cell(row, now) ?? '-'))];
  return [...alignColumns(cells), statusSummary(pipeline, rows)];
}

const summaryOrder = Object.keys(outcomeWords) as DateOutcome[];

/** "orders 2024-01-02 to 2024-01-15: 12 succeeded, 1 failed, 1 never ran". */
export function statusSummary(pipeline: string, rows: DateStatusRow[]): string {
  const counts = summaryOrder
    .map((outcome) => [outcome, rows.filter((row) => row.outcome === outcome).length] as const)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${outcomeWords[outcome]}`);
  return `${pipeline} ${rows[0].date} to ${rows[rows.length - 1].date}: ${counts.join(', ')}`;
}
