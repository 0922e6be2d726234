import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RowOutcome } from '../state/run-journal.js';
import { PRIVATE_FILE_MODE } from './report-writer.js';

/**
 * The row counts of a run. rows = succeeded + failed + pending always; succeeded = added +
 * modified + unchanged + skipped + deleted (+ rows only validated offline, which have no action).
 */
export interface SummaryCounts {
  rows: number;
  succeeded: number;
  failed: number;
  added: number;
  modified: number;
  unchanged: number;
  skipped: number;
  /** Records an `action: delete` run deleted. */
  deleted: number;
  /** Rows not processed: the run stopped before them. */
  pending: number;
  requests: number;
  retries: number;
  elapsedMs: number;
}

export function emptySummary(): SummaryCounts {
  return { rows: 0, succeeded: 0, failed: 0, added: 0, modified: 0, unchanged: 0, skipped: 0, deleted: 0, pending: 0, requests: 0, retries: 0, elapsedMs: 0 };
}

/**
 * Count one processed row. `undefined` is a row that passed every offline check but was not
 * sent (validate without a server, upsert): a success with no action.
 */
export function countOutcome(summary: SummaryCounts, outcome: RowOutcome | undefined): void {
  if (outcome === 'failed') {
    summary.failed++;
    return;
  }
  summary.succeeded++;
  if (outcome !== undefined) summary[outcome]++;
}

/** How a run ended: every row processed, stopped part-way (resumable), or stopped before any row. */
export type RunEnd = 'completed' | 'stopped' | 'not-started';

/** summary.json of an import: how the run ended, then the counts, in this order. */
export interface ImportSummaryFile extends SummaryCounts {
  readonly status: RunEnd;
  readonly exitCode: number;
  readonly runId: number | null;
  readonly mode: string;
  readonly mapping: string;
  readonly input: string;
  readonly encoding: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Why a stopped run stopped. */
  readonly stopReason?: string | undefined;
  /** The pacing the client settled on, when it had to adapt. */
  readonly pacing?: unknown;
  /** Whether formula-like cells of the reports were prefixed with `'` (import takes it off again). */
  readonly escapedFormulas?: boolean;
}

export function summaryJson(s: ImportSummaryFile): string {
  const ordered = {
    status: s.status,
    exitCode: s.exitCode,
    runId: s.runId,
    mode: s.mode,
    mapping: s.mapping,
    input: s.input,
    encoding: s.encoding,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    ...(s.stopReason === undefined ? {} : { stopReason: s.stopReason }),
    rows: s.rows,
    succeeded: s.succeeded,
    failed: s.failed,
    pending: s.pending,
    added: s.added,
    modified: s.modified,
    unchanged: s.unchanged,
    skipped: s.skipped,
    deleted: s.deleted,
    requests: s.requests,
    retries: s.retries,
    elapsedMs: s.elapsedMs,
    ...(s.pacing === undefined ? {} : { pacing: s.pacing }),
    ...(s.escapedFormulas === undefined ? {} : { escapedFormulas: s.escapedFormulas }),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export async function writeSummary(dir: string, summary: ImportSummaryFile): Promise<string> {
  const file = join(dir, 'summary.json');
  await writeFile(file, summaryJson(summary), { mode: PRIVATE_FILE_MODE });
  return file;
}
