import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RowOutcome } from '../state/run-journal.js';

/** summary.json: rows = succeeded + failed, succeeded = added + modified + unchanged (+ rows only validated). */
export interface SummaryCounts {
  rows: number;
  succeeded: number;
  failed: number;
  added: number;
  modified: number;
  unchanged: number;
  requests: number;
  retries: number;
  elapsedMs: number;
}

export function emptySummary(): SummaryCounts {
  return { rows: 0, succeeded: 0, failed: 0, added: 0, modified: 0, unchanged: 0, requests: 0, retries: 0, elapsedMs: 0 };
}

/**
 * Count one row. `undefined` is a row that passed every offline check but was not sent
 * (validate without a server, upsert): a success with no action.
 */
export function countOutcome(summary: SummaryCounts, outcome: RowOutcome | undefined): void {
  summary.rows++;
  if (outcome === 'failed') {
    summary.failed++;
    return;
  }
  summary.succeeded++;
  if (outcome !== undefined) summary[outcome]++;
}

/** The fields of summary.json, in their documented order, whatever else `summary` carries. */
export function summaryJson(summary: SummaryCounts): string {
  const { rows, succeeded, failed, added, modified, unchanged, requests, retries, elapsedMs } = summary;
  return `${JSON.stringify({ rows, succeeded, failed, added, modified, unchanged, requests, retries, elapsedMs }, null, 2)}\n`;
}

export async function writeSummary(dir: string, summary: SummaryCounts): Promise<string> {
  const file = join(dir, 'summary.json');
  await writeFile(file, summaryJson(summary));
  return file;
}
