/**
 * What the recovery tests (recovery-*.test.ts) share: the customers file, the customers already
 * in the CRM, reading a run's reports and journal, and waiting for a scripted fault to fire.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JournalEntry } from '../../../src/state/run-journal.js';
import { StateStore } from '../../../src/state/state-store.js';
import { latestOut, readCsv, readSummary, type Workspace } from './helpers.js';

export const HEADER = 'legacy_id,first_name,last_name,email,country,tier,notes';

/** Customers K1..Kn with `note i` as their notes (and `k<i>@example.com` unless told). */
export function customersCsv(n: number, options: { note?: string; email?: (i: number) => string } = {}): string {
  const note = options.note ?? 'note';
  const email = options.email ?? ((i: number) => `k${i}@example.com`);
  const lines = [HEADER];
  for (let i = 1; i <= n; i++) lines.push(`K${i},First${i},Last${i},${email(i)},US,,${note} ${i}`);
  return `${lines.join('\n')}\n`;
}

/** Customers K1..Kn already in the CRM, with `old note i` (an upsert of customersCsv modifies them). */
export function existingCustomers(n: number) {
  return {
    customers: Array.from({ length: n }, (_, k) => ({
      ACCOUNTNUM: 30000001 + k,
      FIRSTNAME: `First${k + 1}`,
      LASTNAME: `Last${k + 1}`,
      EMAIL: `k${k + 1}@example.com`,
      ADDR1COUNTRY: 'United States',
      CUSTOMERTYPE: 'Default',
      COMMENTS: `old note ${k + 1}`,
      AUTOPASSWD: 'TRUE',
      LEGACY_ID: `K${k + 1}`,
    })),
  };
}

/** The latest run's reports: each row's line by row number. */
export function reports(cwd: string, mapping = 'customers') {
  const dir = latestOut(cwd, mapping);
  const success = readCsv(join(dir, 'success.csv'));
  const errors = readCsv(join(dir, 'errors.csv'));
  return {
    summary: readSummary(dir),
    success: new Map(success.map((r) => [Number(r['row']), r])),
    errors: new Map(errors.map((r) => [Number(r['row']), r])),
    rows: [...success, ...errors].map((r) => Number(r['row'])).sort((a, b) => a - b),
  };
}

/** The journal of a run, by row, as --resume will read it. */
export function journal(cwd: string, runId: number): Map<number, JournalEntry> {
  const state = StateStore.open(join(cwd, '.wapi-bulk', 'state.sqlite'), { readonly: true });
  try {
    return new Map([...state.journal(runId).entries()].map((e) => [e.row, e]));
  } finally {
    state.close();
  }
}

/**
 * Resolves once the fault script's entry has fired `times` times (the request it holds is in
 * the server); rejects at once if the import ended first, rather than at the test's timeout.
 */
export async function fired(ws: Workspace, entry: number, importing: Promise<unknown>, times = 1): Promise<void> {
  let ended = false;
  importing.then(
    () => (ended = true),
    () => (ended = true),
  );
  while (ws.emulator.faultLog().filter((f) => f.entry === entry).length < times) {
    if (ended) throw new Error(`the import ended before fault ${entry} fired ${times} times (fired: ${JSON.stringify(ws.emulator.faultLog())})`);
    await sleep(5);
  }
}

export const ROWS = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
