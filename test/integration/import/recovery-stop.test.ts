/**
 * The row sender's branches that stop a run: a login or a right lost mid-run, the graceful and
 * the hard stop, and the server failing every request. Reached with the emulator's faults by
 * position (README "Faults by position"); each run is then completed by --resume, and every row
 * must end in the CRM exactly once and in the reports exactly once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorOptions, FaultScriptEntry } from '../../../src/emulator/index.js';
import { importCsv, type ImportOptions } from '../../../src/import/import-csv.js';
import { StateStore } from '../../../src/state/state-store.js';
import { CREDENTIALS, fixture, useCredentialsEnv, workspace, type Workspace } from './helpers.js';
import { customersCsv, existingCustomers, fired, journal, reports, ROWS } from './recovery-helpers.js';

beforeAll(useCredentialsEnv);

/** The latest run of the state file (one that stopped by rejecting returns no summary). */
function latestRunId(cwd: string): number {
  const state = StateStore.open(join(cwd, '.wapi-bulk', 'state.sqlite'), { readonly: true });
  try {
    return state.runs()[0]?.id ?? -1;
  } finally {
    state.close();
  }
}

/** Each customer's notes by legacy id, K1..Kn, " | "-joined when several records carry it. */
async function notes(ws: Workspace, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) out.push((await ws.get('CUSTOMER', [['LEGACY_ID', `K${i}`]])).map((c) => c['COMMENTS']).join(' | '));
  return out;
}

/**
 * Upsert matched on EMAIL, with no custom field: the run sends no CUSTOMER request before its
 * rows (no look-up of the tenant's fields), so the fault script's Nth CUSTOMER request is
 * counted from row 1.
 */
function emailMapping(dir: string): string {
  const file = join(dir, 'customers-by-email.yaml');
  const yaml = ['name: customers', 'object: customer', 'action: upsert', 'key: legacy_id', 'match: EMAIL', 'fields:'];
  yaml.push('  FIRSTNAME: first_name', '  LASTNAME: last_name', '  EMAIL: email', '  COMMENTS: notes', '  AUTOPASSWD: { value: "TRUE" }', '');
  writeFileSync(file, yaml.join('\n'));
  return file;
}

/** Each row's notes found by its EMAIL, rows 1..n, " | "-joined when several records have it. */
async function notesByEmail(ws: Workspace, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) out.push((await ws.get('CUSTOMER', [['EMAIL', `k${i}@example.com`]])).map((c) => c['COMMENTS']).join(' | '));
  return out;
}

const NEW = (n: number) => ROWS(n).map((i) => `new note ${i}`);

describe('recovery when the run stops', () => {
  let ws: Workspace | undefined;
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });

  async function setUp(emulator: EmulatorOptions, n: number) {
    ws = await workspace(emulator);
    const w = ws;
    const file = w.write('in.csv', customersCsv(n, { note: 'new note' }));
    const options = (extra: Partial<ImportOptions> = {}): ImportOptions => ({
      file,
      mapping: fixture('customers.yaml'),
      connection: { url: w.emulator.url, credentials: CREDENTIALS },
      cwd: w.dir,
      concurrency: 1,
      retries: 1,
      retryBaseMs: 5,
      ...extra,
    });
    return { ws: w, file, options };
  }

  const lost: Array<{ what: string; fault: FaultScriptEntry; code: string; crm: 'empty' | 'existing' }> = [
    { what: 'login lost mid-run (STATUS 303 on the 3rd ADD)', fault: { object: 'CUSTOMER', action: 'ADD', nth: 3, fault: 'login' }, code: 'WAPI_AUTH', crm: 'empty' },
    { what: 'permission lost mid-run (STATUS 310 on the 3rd MODIFY)', fault: { object: 'CUSTOMER', action: 'MODIFY', nth: 3, fault: 'permission' }, code: 'WAPI_PERMISSION', crm: 'existing' },
  ];
  it.each(lost)('$what: the run stops with exit 2, the row\'s pending entry cleared, rows before it reported; --resume completes the rest', async ({ fault, code, crm }) => {
    const n = 6;
    const { ws, options } = await setUp({ faultScript: [fault], ...(crm === 'existing' ? { fixtures: existingCustomers(n) } : {}) }, n);
    const before = await notes(ws, n);
    await expect(importCsv(options())).rejects.toMatchObject({ code });
    expect(ws.emulator.faultLog()).toMatchObject([{ nth: 3, fault: fault.fault }]);
    const runId = latestRunId(ws.dir);
    const first = reports(ws.dir);
    expect(first.summary).toMatchObject({ status: 'stopped', exitCode: 2, rows: n, succeeded: 2, failed: 0, pending: n - 2 });
    expect(String(first.summary['stopReason'])).not.toBe('');
    expect(first.rows).toEqual([1, 2]);
    // Row 3 was refused before the server ran it: no entry, so --resume sends it.
    const entries = journal(ws.dir, runId);
    expect([...entries.values()].map((e) => [e.row, e.status])).toEqual([[1, 'done'], [2, 'done']]);
    expect(await notes(ws, n)).toEqual([...NEW(2), ...before.slice(2)]);

    // The CLI says the same: exit 2, the error on stderr, resumable.
    const resumed = await ws.cli(['import', options().file, '--mapping', fixture('customers.yaml'), '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const last = reports(ws.dir);
    expect(last.summary).toMatchObject({ runId, status: 'completed', rows: n, succeeded: n, failed: 0 });
    expect(last.rows).toEqual(ROWS(n));
    expect(await notes(ws, n)).toEqual(NEW(n));
  });

  it('login lost mid-run, through the CLI: exit 2 with the server\'s refusal on stderr; --resume completes the run', async () => {
    const n = 4;
    const { ws, file } = await setUp({ faultScript: [{ object: 'CUSTOMER', action: 'ADD', nth: 2, fault: 'login' }] }, n);
    // One row at a time: with more, the rows in flight when the login is refused are cancelled
    // (left for --resume), and how many got their reply first varies.
    const run = await ws.cli(['import', file, '--mapping', fixture('customers.yaml'), '--concurrency', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('wapi-bulk: Invalid login parameters.');
    // Found in review: that line was all it said. It also says how far the run got and how to go on.
    expect(run.stderr).toMatch(/customers: stopped after 1 of 4 rows \(1 succeeded, 0 failed\); reports: \S+; fix the error below, then run the same command with --resume to continue/);
    expect(reports(ws.dir).summary).toMatchObject({ status: 'stopped', exitCode: 2, succeeded: 1, pending: n - 1 });
    const resumed = await ws.cli(['import', file, '--mapping', fixture('customers.yaml'), '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await notes(ws, n)).toEqual(NEW(n));
  });

  it('the graceful stop with requests in flight: they finish and are reported, rows not started stay pending, --resume sends each once', async () => {
    const n = 8;
    const { ws, options } = await setUp(
      {
        faultScript: [
          // Rows 1 to 3 go through (and the client's window grows to 2 from its slow start); the
          // 4th ADD is held, then applied and answered, and so is the 5th look-up: the stop
          // comes while both are in flight.
          { object: 'CUSTOMER', action: 'ADD', nth: 4, fault: 'timeout', delayMs: 800 },
          { object: 'CUSTOMER', action: 'GET', nth: 5, fault: 'timeout', delayMs: 400 },
        ],
      },
      n,
    );
    const mapping = emailMapping(ws.dir);
    const stop = new AbortController();
    const importing = importCsv(options({ mapping, concurrency: 2, signal: stop.signal }));
    await fired(ws, 0, importing);
    await fired(ws, 1, importing);
    stop.abort();
    // The held ADD has not been applied yet: it was in flight when the run was told to stop.
    expect(Number((await ws.get('CUSTOMER', []))[0]?.['TOTAL'])).toBe(3);
    const stopped = await importing;

    expect(stopped).toMatchObject({ status: 'stopped', exitCode: 130, rows: n, added: 4, failed: 0, pending: n - 4 });
    // The ADD in flight finished and is reported; the row whose look-up was in flight found
    // nothing to modify, and its ADD, not yet sent, was not sent: it is left for --resume.
    const inCrm = (await notesByEmail(ws, n)).map((v, i) => (v === '' ? 0 : i + 1)).filter((row) => row > 0);
    expect(inCrm).toHaveLength(4);
    const first = reports(ws.dir);
    expect(first.rows).toEqual(inCrm);
    for (const row of inCrm) expect(first.success.get(row)).toMatchObject({ action: 'added' });
    const entries = journal(ws.dir, stopped.runId as number);
    expect([...entries.values()].map((e) => [e.row, e.status])).toEqual(inCrm.map((row) => [row, 'done']));

    const resumed = await importCsv(options({ mapping, resume: true, concurrency: 2 }));
    expect(resumed).toMatchObject({ resumed: true, status: 'completed', rows: n, added: n, failed: 0, exitCode: 0 });
    expect(reports(ws.dir).rows).toEqual(ROWS(n));
    expect(await notesByEmail(ws, n)).toEqual(NEW(n));
  });

  it('the hard stop mid-request: the row in flight stays pending, and --resume settles it by match (it landed) without sending it again', async () => {
    const n = 5;
    // The 3rd ADD is applied, and its reply held: cancelled, its outcome is unknown to the run.
    const { ws, options } = await setUp({ faultScript: [{ object: 'CUSTOMER', action: 'ADD', nth: 3, when: 'after', fault: 'timeout', delayMs: 500 }] }, n);
    const stop = new AbortController();
    const kill = new AbortController();
    const importing = importCsv(options({ signal: stop.signal, killSignal: kill.signal }));
    await fired(ws, 0, importing);
    // As the CLI does on a second Ctrl-C: the graceful stop, then the cancel.
    stop.abort();
    kill.abort();
    const stopped = await importing;

    expect(stopped).toMatchObject({ status: 'stopped', exitCode: 130, rows: n, added: 2, failed: 0, pending: n - 2 });
    expect(reports(ws.dir).rows).toEqual([1, 2]);
    expect(await notes(ws, n)).toEqual([...NEW(3), '', '']);
    const entries = journal(ws.dir, stopped.runId as number);
    expect(entries.get(3)).toMatchObject({ status: 'pending', planned: 'add' });
    expect([...entries.keys()]).toEqual([1, 2, 3]);

    const resumed = await importCsv(options({ resume: true }));
    expect(resumed).toMatchObject({ resumed: true, status: 'completed', rows: n, added: n, failed: 0, exitCode: 0 });
    const [record] = await ws.get('CUSTOMER', [['LEGACY_ID', 'K3']]);
    const last = reports(ws.dir);
    expect(last.rows).toEqual(ROWS(n));
    expect(last.success.get(3)).toMatchObject({ key: 'K3', action: 'added', id: record?.['ACCOUNTNUM'] });
    // One ADD per row in all: the fault's count of ADDs saw rows 1, 2, 3, then only 4 and 5.
    expect(ws.emulator.faultLog()).toHaveLength(1);
    expect(await notes(ws, n)).toEqual(NEW(n));
  });

  it('the stop after 20 transport failures in a row (the server resets every request): the message names the count, nothing is lost, --resume completes', async () => {
    // The server comes back sound at the same address with the same database.
    const dir = mkdtempSync(join(tmpdir(), 'wapi-recovery-'));
    try {
      const n = 30;
      const db = join(dir, 'crm.sqlite');
      const file = join(dir, 'in.csv');
      writeFileSync(file, customersCsv(n, { note: 'new note' }));
      const mapping = emailMapping(dir);
      // Rows 1 to 3 go through; from there on every CUSTOMER request is reset.
      ws = await workspace({ db, faultScript: [{ object: 'CUSTOMER', nth: 7, times: 10_000, fault: 'reset' }] });
      const port = Number(new URL(ws.emulator.url).port);
      const options = (url: string, extra: Partial<ImportOptions> = {}): ImportOptions => ({
        file,
        mapping,
        connection: { url, credentials: CREDENTIALS },
        cwd: dir,
        concurrency: 1,
        retries: 1,
        retryBaseMs: 5,
        ...extra,
      });
      await expect(importCsv(options(ws.emulator.url))).rejects.toMatchObject({ code: 'WAPI_CONNECTION_RESET', message: expect.stringContaining('20 commands in a row failed after their retries, so the run stopped') });
      // Each failed row: its look-up and the one retry.
      expect(ws.emulator.faultLog()).toHaveLength(40);
      const first = reports(dir);
      expect(first.summary).toMatchObject({ status: 'stopped', exitCode: 2, rows: n, succeeded: 3 });
      expect(String(first.summary['stopReason'])).toContain('20 commands in a row failed after their retries');
      // Rows 4 to 22 failed in transit (reported, left for --resume); row 23 stopped the run.
      expect([...first.success.keys()]).toEqual([1, 2, 3]);
      expect([...first.errors.keys()]).toEqual(ROWS(22).slice(3));
      for (const e of first.errors.values()) expect(e).toMatchObject({ stage: 'match', code: 'WAPI_CONNECTION_RESET' });
      expect(first.summary['pending']).toBe(n - 22);
      const runId = latestRunId(dir);
      expect([...journal(dir, runId).values()].map((e) => [e.row, e.status])).toEqual([[1, 'done'], [2, 'done'], [3, 'done']]);
      await ws.close();
      ws = undefined;

      ws = await workspace({ db, port });
      const resumed = await importCsv(options(ws.emulator.url, { resume: true }));
      expect(resumed).toMatchObject({ resumed: true, runId, status: 'completed', rows: n, added: n, failed: 0, exitCode: 0 });
      expect(reports(dir).rows).toEqual(ROWS(n));
      expect(await notesByEmail(ws, n)).toEqual(NEW(n));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
