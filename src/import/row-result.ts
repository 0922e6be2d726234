import type { RowOutcome, RowResult } from '../state/run-journal.js';

/**
 * The step where a row failed: the error file's `stage` column. `parse` is the CSV record
 * itself (ragged rows), `match` the GET that finds the record to modify, `resume` a row an
 * interrupted run left in flight.
 */
export type Stage = 'parse' | 'key' | 'map' | 'validate' | 'reference' | 'match' | 'send' | 'resume';

/**
 * A row's outcome as reported. `validated`: passed every check but was not sent, because the
 * run is offline (`validate` without a server) and the action (upsert) needs the server to say
 * whether it would add or modify; success.csv shows it with an empty action.
 */
export type ReportOutcome = RowOutcome | 'validated';

/** The journal's row result, with the outcomes only a report has. */
export interface RowReport extends Omit<RowResult, 'outcome'> {
  readonly outcome: ReportOutcome;
}

export function failed(row: number, key: string, stage: Stage, code: string, error: string): RowReport & { outcome: 'failed' } {
  return { row, key, outcome: 'failed', stage, code, error };
}

/** An error's message with its hint, as the error file shows it. */
export function describe(error: { message: string; hint?: string | undefined }): string {
  return error.hint ? `${error.message} (${error.hint})` : error.message;
}
