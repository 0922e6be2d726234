import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../../src/emulator/index.js';
import { importCsv, type ImportOptions } from '../../../src/import/import-csv.js';
import { loadMapping } from '../../../src/mapping/load-mapping.js';
import type { Mapping } from '../../../src/mapping/types.js';
import { inspectInput } from '../../../src/import/input-file.js';
import { scopeOf } from '../../../src/state/crm-scope.js';
import { StateStore } from '../../../src/state/state-store.js';
import { CREDENTIALS, fixture, latestOut, readCsv, readSummary, useCredentialsEnv, workspace, type Workspace } from './helpers.js';

beforeAll(useCredentialsEnv);

const HEADER = 'legacy_id,first_name,last_name,email,country,tier,notes';

function customersCsv(n: number): string {
  const lines = [HEADER];
  for (let i = 1; i <= n; i++) lines.push(`K${i},First${i},Last${i},k${i}@example.com,US,,note ${i}`);
  return `${lines.join('\n')}\n`;
}

/** What a crash leaves behind: a run marked running whose process is gone. */
function crashed(state: StateStore, runId: number): void {
  const db = new Database(state.file);
  // The largest pid Linux hands out, plus one: surely no live process.
  db.prepare('UPDATE runs SET pid = 4194305 WHERE id = ?').run(runId);
  db.close();
}

describe('resume', () => {
  let ws: Workspace | undefined;
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });

  async function setUp(emulator: EmulatorOptions = {}) {
    ws = await workspace(emulator);
    const w = ws;
    const base = (mapping: string | Mapping, extra: Partial<ImportOptions> = {}): ImportOptions => ({
      file: join(w.dir, 'in.csv'),
      mapping: typeof mapping === 'string' ? fixture(mapping) : mapping,
      connection: { url: w.emulator.url, credentials: CREDENTIALS },
      cwd: w.dir,
      ...extra,
    });
    /** Every legacy id in the CRM with how many records carry it. */
    const counts = async (n: number) => {
      const out: Record<string, number> = {};
      for (let i = 1; i <= n; i++) out[`K${i}`] = (await w.get('CUSTOMER', [['LEGACY_ID', `K${i}`]])).length;
      return out;
    };
    /** Rows of both reports: each input row exactly once. */
    const reported = () => {
      const dir = latestOut(w.dir, 'customers');
      const rows = [...readCsv(join(dir, 'success.csv')), ...readCsv(join(dir, 'errors.csv'))].map((r) => Number(r['row']));
      return rows.sort((a, b) => a - b);
    };
    return { ws: w, base, counts, reported };
  }

  /**
   * An add whose rows carry a match field (issue 4's case example: `action: add` with
   * `match: CASE_LEGACY_ID`): the importer checks by GET whether an uncertain ADD landed.
   */
  const addWithMatch = async (): Promise<Mapping> => ({ ...(await loadMapping(fixture('customers.yaml'))), action: 'add' });

  /** Abort once `rows` rows have been reported. */
  function abortAfter(rows: number): { signal: AbortSignal; onProgress: ImportOptions['onProgress']; progressIntervalMs: number } {
    const controller = new AbortController();
    return {
      signal: controller.signal,
      progressIntervalMs: 5,
      onProgress: (p) => {
        if (p.rows >= rows) controller.abort();
      },
    };
  }

  it('an interrupted upsert, resumed: every row once in the reports, once in the CRM', async () => {
    const { ws, base, counts, reported } = await setUp({ latency: [5, 25], seed: 7 });
    const n = 60;
    ws.write('in.csv', customersCsv(n));
    // A signal stops the run gracefully: the rows in flight finish, the rest are pending.
    const stopped = await importCsv(base('customers.yaml', { concurrency: 6, ...abortAfter(15) }));
    expect(stopped).toMatchObject({ status: 'stopped', exitCode: 130, rows: n });
    const partial = readSummary(latestOut(ws.dir, 'customers'));
    expect(partial).toMatchObject({ status: 'stopped', rows: n, runId: stopped.runId });
    expect(partial['succeeded']).toBeGreaterThanOrEqual(15);
    expect(partial['pending']).toBeGreaterThan(0);
    expect((partial['succeeded'] as number) + (partial['failed'] as number) + (partial['pending'] as number)).toBe(n);

    const summary = await importCsv(base('customers.yaml', { resume: true, concurrency: 6 }));
    expect(summary.resumed).toBe(true);
    expect(summary).toMatchObject({ rows: n, succeeded: n, failed: 0 });
    // Rows the first run finished are reported as it reported them (added), not re-sent.
    expect(summary.added).toBe(n);
    expect(reported()).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(Object.values(await counts(n)).every((c) => c === 1)).toBe(true);
  });

  it('--limit, then --resume: the first rows are reported again, not sent again (an add without match would duplicate them)', async () => {
    const { ws, base, counts, reported } = await setUp();
    ws.write('in.csv', customersCsv(10));
    const first = await importCsv(base('customers-add.yaml', { limit: 4 }));
    expect(first).toMatchObject({ rows: 4, added: 4 });
    const second = await importCsv(base('customers-add.yaml', { resume: true }));
    expect(second).toMatchObject({ rows: 10, added: 10, failed: 0 });
    expect(reported()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // One record per key: the second run sent the 6 ADDs left, not 10 (an add without match
    // would have duplicated the first 4).
    expect(Object.values(await counts(10))).toEqual(Array(10).fill(1));
  });

  it('rows a crashed run left in flight: found by match (it landed), or sent (it did not)', async () => {
    const { ws, base, counts } = await setUp();
    const file = ws.write('in.csv', customersCsv(4));
    // The crash: run 1 wrote row 1 done, rows 2 and 3 pending; the server had applied row 2's ADD.
    const state = StateStore.open(join(ws.dir, '.wapi-bulk', 'state.sqlite'));
    const journal = state.startRun({
      mapping: 'customers',
      object: 'CUSTOMER',
      action: 'add',
      input: realpathSync(file),
      fingerprint: (await inspectInput(file, 'auto')).fingerprint,
      mappingHash: 'x',
      scope: scopeOf(ws.emulator.url, 'AcmeJets'),
    });
    crashed(state, journal.runId);
    ws.emulator.loadFixtures({
      customers: [
        { ACCOUNTNUM: 30000001, FIRSTNAME: 'First1', LASTNAME: 'Last1', LEGACY_ID: 'K1' },
        { ACCOUNTNUM: 30000002, FIRSTNAME: 'First2', LASTNAME: 'Last2', LEGACY_ID: 'K2' },
      ],
    });
    journal.finish({ row: 1, key: 'K1', outcome: 'added', id: '30000001' }, { mapping: 'customers', key: 'K1', object: 'CUSTOMER', id: '30000001' });
    journal.pending(2, 'K2', 'add');
    journal.pending(3, 'K3', 'add');
    state.close();

    const warnings: string[] = [];
    const summary = await importCsv(base(await addWithMatch(), { resume: true, onWarning: (m) => warnings.push(m) }));
    expect(warnings.join('\n')).toContain('the mapping changed since run');
    expect(summary).toMatchObject({ rows: 4, added: 4, failed: 0 });
    const ids = Object.fromEntries(readCsv(join(latestOut(ws.dir, 'customers'), 'success.csv')).map((r) => [r['key'], r['id']]));
    expect(ids['K1']).toBe('30000001');
    expect(ids['K2']).toBe('30000002');
    expect(await counts(4)).toEqual({ K1: 1, K2: 1, K3: 1, K4: 1 });
    // The id map has the row the crash left pending, so references to it resolve.
    const after = StateStore.open(join(ws.dir, '.wapi-bulk', 'state.sqlite'), { readonly: true });
    expect(after.getId(scopeOf(ws.emulator.url, 'AcmeJets'), 'customers', 'K2')).toMatchObject({ object: 'CUSTOMER', id: '30000002' });
    after.close();
  });

  it('a row left in flight without match is not sent again: errors.csv says it may have been added', async () => {
    const { ws, base, counts } = await setUp();
    const file = ws.write('in.csv', customersCsv(2));
    const state = StateStore.open(join(ws.dir, '.wapi-bulk', 'state.sqlite'));
    const journal = state.startRun({ mapping: 'customers', object: 'CUSTOMER', action: 'add', input: realpathSync(file), fingerprint: (await inspectInput(file, 'auto')).fingerprint, mappingHash: 'x', scope: scopeOf(ws.emulator.url, 'AcmeJets') });
    journal.pending(1, 'K1', 'add');
    crashed(state, journal.runId);
    state.close();
    ws.emulator.loadFixtures({ customers: [{ ACCOUNTNUM: 30000001, FIRSTNAME: 'First1', LASTNAME: 'Last1', LEGACY_ID: 'K1' }] });
    const summary = await importCsv(base('customers-add.yaml', { resume: true }));
    expect(summary).toMatchObject({ rows: 2, added: 1, failed: 1 });
    const [error] = readCsv(join(latestOut(ws.dir, 'customers'), 'errors.csv'));
    expect(error).toMatchObject({ row: '1', key: 'K1', stage: 'resume' });
    expect(error?.['error']).toContain('may have been added before the interruption');
    expect(await counts(2)).toEqual({ K1: 1, K2: 1 });
  });

  it('refuses to resume a file that changed since the interrupted run', async () => {
    const { ws, base } = await setUp();
    ws.write('in.csv', customersCsv(5));
    await importCsv(base('customers.yaml', { limit: 2 }));
    ws.write('in.csv', customersCsv(6));
    await expect(importCsv(base('customers.yaml', { resume: true }))).rejects.toMatchObject({ code: 'STATE_MISMATCH', message: expect.stringContaining('changed since run') });
  });

  it('replies lost after the server applied the ADD: checked by GET, never added twice', async () => {
    const { ws, base, counts, reported } = await setUp({ failAfterCommitRate: 0.3, seed: 42 });
    ws.write('in.csv', customersCsv(40));
    // One request at a time: the seeded faults then hit the same requests on every run (with
    // several in flight their order, and so which ADD loses three replies in a row, varies).
    const summary = await importCsv(base(await addWithMatch(), { concurrency: 1, retries: 4 }));
    expect(summary).toMatchObject({ rows: 40, added: 40, failed: 0 });
    // Faults happened: more requests than the start-up reads and one ADD per row.
    expect(summary.requests).toBeGreaterThan(50);
    expect(reported()).toHaveLength(40);
    expect(Object.values(await counts(40))).toEqual(Array(40).fill(1));
  });

  // Regression (review): an ADD that timed out was looked up at once, found missing because the
  // slow server had not applied it yet, and sent again: the late first ADD then made the resend
  // a duplicate (errors.csv said "Duplicate value" for rows that were in the CRM).
  it('replies that time out while the server is still working: looked up after a grace period, never added twice', async () => {
    // Two ADDs and a look-up are held past the client's timeout, then applied and answered (the
    // server was still working). The GET is retried; the ADDs are not resent blindly: each is
    // looked up after the grace period (which outlasts the hold) and found. Was random latency
    // over 16 rows, 24 s of the suite for the same branches; the fault script picks them.
    const held = { fault: 'timeout' as const, delayMs: 1200 };
    const { ws, base, counts, reported } = await setUp({
      faultScript: [
        { object: 'CUSTOMER', action: 'ADD', nth: 2, ...held },
        { object: 'CUSTOMER', action: 'ADD', nth: 5, ...held },
        { object: 'CUSTOMER', action: 'GET', nth: 4, ...held },
      ],
    });
    ws.write('in.csv', customersCsv(8));
    const options = { concurrency: 4, timeoutMs: 500, retries: 10, retryBaseMs: 20, landingGraceMs: 1500 };
    const summary = await importCsv(base(await addWithMatch(), options));
    // Timeouts happened (the GET was retried after its own), and yet no row was added twice.
    expect(summary.retries).toBeGreaterThan(0);
    expect(summary, JSON.stringify(readCsv(join(latestOut(ws.dir, 'customers'), 'errors.csv')))).toMatchObject({ rows: 8, added: 8, failed: 0 });
    expect(reported()).toHaveLength(8);
    expect(Object.values(await counts(8))).toEqual(Array(8).fill(1));
    expect(ws.emulator.faultLog().map((f) => `${f.action} ${f.nth}`).sort()).toEqual(['ADD 2', 'ADD 5', 'GET 4']);
  });

  it('replies lost after an ADD without match: reported as failed with the reason, never sent twice', async () => {
    const { ws, base, counts } = await setUp({ failAfterCommitRate: 0.3, seed: 42 });
    ws.write('in.csv', customersCsv(40));
    const summary = await importCsv(base('customers-add.yaml', { concurrency: 4 }));
    expect(summary.failed).toBeGreaterThan(0);
    const errors = readCsv(join(latestOut(ws.dir, 'customers'), 'errors.csv'));
    for (const e of errors) expect(e['error']).toContain('the server may have added this row');
    expect(Object.values(await counts(40)).every((c) => c <= 1)).toBe(true);
  });

  it('rows that failed in transit are tried again by --resume; rows that finished are not', async () => {
    // A GET that failed in transit was journaled as the row's final outcome: --resume reported
    // it as failed again instead of trying it.
    const dir = mkdtempSync(join(tmpdir(), 'wapi-flaky-'));
    try {
      // A flaky server (HTTP 500 on 20% of requests, no retries), then the same data on a sound
      // one. One connection: the requests, and so the faults of the seeded generator, come in the
      // same order on every run.
      const flaky = await workspace({ db: join(dir, 'crm.sqlite'), failRate: 0.2, seed: 2 });
      const file = join(dir, 'in.csv');
      writeFileSync(file, customersCsv(30));
      const options = (url: string, extra: Partial<ImportOptions> = {}): ImportOptions => ({
        file,
        mapping: fixture('customers.yaml'),
        connection: { url, credentials: CREDENTIALS },
        cwd: dir,
        retries: 0,
        concurrency: 1,
        ...extra,
      });
      const first = await importCsv(options(flaky.emulator.url));
      const port = Number(new URL(flaky.emulator.url).port);
      await flaky.close();
      expect(first.failed).toBeGreaterThan(0);
      for (const e of readCsv(join(latestOut(dir, 'customers'), 'errors.csv'))) expect(e['code']).toBe('WAPI_HTTP_STATUS');

      // The server restarted, sound, at the same address (the run is bound to its endpoint).
      ws = await workspace({ db: join(dir, 'crm.sqlite'), port });
      const second = await importCsv(options(ws.emulator.url, { resume: true }));
      expect(second).toMatchObject({ rows: 30, succeeded: 30, failed: 0 });
      // Rows the first run finished came from the journal: far fewer requests than a full run.
      expect(second.requests).toBeLessThan(first.requests);
      for (let i = 1; i <= 30; i++) expect(await ws.get('CUSTOMER', [['LEGACY_ID', `K${i}`]]), `K${i}`).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
