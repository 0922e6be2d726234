/**
 * Every recovery branch of the row sender's ADD, reached on purpose with the emulator's faults
 * by position (README "Faults by position"), each checked in the reports, in the journal and in
 * the CRM, and settled by --resume where the run leaves it open.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../../src/emulator/index.js';
import { importCsv, type ImportOptions } from '../../../src/import/import-csv.js';
import { loadMapping } from '../../../src/mapping/load-mapping.js';
import type { Mapping } from '../../../src/mapping/types.js';
import { scopeOf } from '../../../src/state/crm-scope.js';
import { StateStore } from '../../../src/state/state-store.js';
import { CREDENTIALS, fixture, useCredentialsEnv, workspace, type Workspace } from './helpers.js';
import { customersCsv, fired, journal, reports, ROWS } from './recovery-helpers.js';

beforeAll(useCredentialsEnv);

/** `action: add` with `match: LEGACY_ID`: the sender can look whether an uncertain ADD landed. */
const addWithMatch = async (): Promise<Mapping> => ({ ...(await loadMapping(fixture('customers.yaml'))), action: 'add' });

/** How many records carry each legacy id, K1..Kn. */
async function counts(ws: Workspace, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) out.push((await ws.get('CUSTOMER', [['LEGACY_ID', `K${i}`]])).length);
  return out;
}

const ONE_EACH = (n: number) => Array<number>(n).fill(1);

describe('recovery of an ADD', () => {
  let ws: Workspace | undefined;
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });

  async function setUp(emulator: EmulatorOptions, csv: string) {
    ws = await workspace(emulator);
    const w = ws;
    const file = w.write('in.csv', csv);
    // One row at a time: the Nth ADD the fault script names is row N's (or its resend).
    const options = (mapping: Mapping | string, extra: Partial<ImportOptions> = {}): ImportOptions => ({
      file,
      mapping,
      connection: { url: w.emulator.url, credentials: CREDENTIALS },
      cwd: w.dir,
      concurrency: 1,
      retries: 1,
      retryBaseMs: 5,
      landingGraceMs: 20,
      ...extra,
    });
    return { ws: w, options };
  }

  it('a resent ADD refused as a duplicate of its own match value (its first ADD landed late): reported added with the id of that record', async () => {
    // No EMAIL on these rows: LEGACY_ID is the only unique value the resend carries.
    const { ws, options } = await setUp(
      {
        faultScript: [
          // Row 2's ADD never gets a reply; the look-up after it finds nothing ...
          { object: 'CUSTOMER', action: 'ADD', nth: 2, fault: 'reset' },
          // ... and its resend is held while the first ADD lands.
          { object: 'CUSTOMER', action: 'ADD', nth: 3, fault: 'timeout', delayMs: 400 },
        ],
      },
      customersCsv(3, { email: () => '' }),
    );
    const importing = importCsv(options(await addWithMatch()));
    await fired(ws, 1, importing);
    // The first ADD landing late, between the look-up and the resend (a fixture: a request of the
    // test's own would be counted by the fault script).
    ws.emulator.loadFixtures({ customers: [{ ACCOUNTNUM: 30000002, FIRSTNAME: 'First2', LASTNAME: 'Last2', LEGACY_ID: 'K2' }] });
    const landed = '30000002';

    const summary = await importing;
    expect(summary).toMatchObject({ rows: 3, added: 3, failed: 0, exitCode: 0 });
    expect(ws.emulator.faultLog().map((f) => [f.entry, f.action, f.nth])).toEqual([[0, 'ADD', 2], [1, 'ADD', 3]]);
    const { success, rows } = reports(ws.dir);
    expect(rows).toEqual(ROWS(3));
    expect(success.get(2)).toMatchObject({ key: 'K2', action: 'added', id: landed });
    expect(journal(ws.dir, summary.runId as number).get(2)).toMatchObject({ status: 'done', outcome: 'added', id: landed });
    const state = StateStore.open(join(ws.dir, '.wapi-bulk', 'state.sqlite'), { readonly: true });
    expect(state.getId(scopeOf(ws.emulator.url, CREDENTIALS.tenant), 'customers', 'K2')).toMatchObject({ id: landed });
    state.close();
    expect(await counts(ws, 3)).toEqual(ONE_EACH(3));
  });

  // Regression: only a duplicate of the match field was taken for the row's own late ADD; the
  // server checks a customer's EMAIL before its custom fields, so the resend of a row with an
  // address was refused on EMAIL and the row reported failed while its record was in the CRM.
  it('a resent ADD refused as a duplicate of its own EMAIL (its first ADD landed late) is added; a duplicate of another customer\'s address stays a failure', async () => {
    const { ws, options } = await setUp(
      {
        faultScript: [
          // Rows 2 and 3: the first ADD gets no reply, the look-up finds nothing, the resend is held.
          { object: 'CUSTOMER', action: 'ADD', nth: [2, 4], fault: 'reset' },
          { object: 'CUSTOMER', action: 'ADD', nth: [3, 5], fault: 'timeout', delayMs: 300 },
        ],
      },
      customersCsv(3),
    );
    const importing = importCsv(options(await addWithMatch()));
    await fired(ws, 1, importing);
    // Row 2's first ADD lands late, with the row's address.
    ws.emulator.loadFixtures({ customers: [{ ACCOUNTNUM: 30000002, FIRSTNAME: 'First2', LASTNAME: 'Last2', EMAIL: 'k2@example.com', LEGACY_ID: 'K2' }] });
    const landed = '30000002';
    await fired(ws, 1, importing, 2);
    // Meanwhile somebody else takes row 3's address: that resend is a true duplicate.
    ws.emulator.loadFixtures({ customers: [{ ACCOUNTNUM: 30000099, FIRSTNAME: 'Other', LASTNAME: 'Person', EMAIL: 'k3@example.com', LEGACY_ID: 'X3' }] });
    const summary = await importing;

    expect(ws.emulator.faultLog().map((f) => [f.entry, f.nth])).toEqual([[0, 2], [1, 3], [0, 4], [1, 5]]);
    expect(summary).toMatchObject({ rows: 3, added: 2, failed: 1, exitCode: 1 });
    const { success, errors, rows } = reports(ws.dir);
    expect(rows).toEqual(ROWS(3));
    expect(success.get(2)).toMatchObject({ key: 'K2', action: 'added', id: landed });
    expect(errors.get(3)).toMatchObject({ key: 'K3', stage: 'send', code: 'WAPI_REJECTED' });
    expect(errors.get(3)?.['error']).toContain("Duplicate value 'k3@example.com' of 'EMAIL'");
    const entries = journal(ws.dir, summary.runId as number);
    expect(entries.get(2)).toMatchObject({ status: 'done', outcome: 'added', id: landed });
    expect(entries.get(3)).toMatchObject({ status: 'done', outcome: 'failed', code: 'WAPI_REJECTED' });
    expect(await counts(ws, 3)).toEqual([1, 1, 0]);
  });

  it('an ADD that never reached the server (connection refused): not ambiguous, its pending entry cleared, --resume sends it', async () => {
    // The server goes away once the run has read the tenant, and comes back at the same address
    // with the same database (the run is bound to its endpoint).
    const dir = mkdtempSync(join(tmpdir(), 'wapi-recovery-'));
    try {
      const db = join(dir, 'crm.sqlite');
      const first = await workspace({ db });
      ws = first;
      const file = join(dir, 'in.csv');
      writeFileSync(file, customersCsv(4));
      // No match: an ambiguous failure would be final ("may have added"); only a failure known to
      // be before the server leaves the row for --resume.
      const options = (url: string, extra: Partial<ImportOptions> = {}): ImportOptions => ({
        file,
        mapping: fixture('customers-add.yaml'),
        connection: { url, credentials: CREDENTIALS },
        cwd: dir,
        concurrency: 1,
        retries: 1,
        retryBaseMs: 5,
        ...extra,
      });
      let closing: Promise<void> | undefined;
      // The empty tenant's warning is the run's last word before its rows: the server stops there.
      const onWarning = (message: string) => {
        if (message.includes('custom fields')) closing ??= first.emulator.close();
      };
      const stopped = await importCsv(options(first.emulator.url, { onWarning }));
      expect(closing).toBeDefined();
      const port = Number(new URL(first.emulator.url).port);
      await first.close();
      ws = undefined;

      expect(stopped).toMatchObject({ rows: 4, added: 0, failed: 4, exitCode: 1 });
      const { errors } = reports(dir);
      expect([...errors.keys()].sort()).toEqual(ROWS(4));
      for (const e of errors.values()) {
        expect(e).toMatchObject({ stage: 'send', code: 'WAPI_CONNECTION_REFUSED' });
        expect(e['error']).not.toContain('may have added');
      }
      // Cleared, not done: --resume sends these rows rather than reporting their failure again.
      expect([...journal(dir, stopped.runId as number).values()]).toEqual([]);

      ws = await workspace({ db, port });
      const resumed = await importCsv(options(ws.emulator.url, { resume: true }));
      expect(resumed).toMatchObject({ resumed: true, runId: stopped.runId, rows: 4, added: 4, failed: 0, exitCode: 0 });
      expect(reports(dir).rows).toEqual(ROWS(4));
      expect(await counts(ws, 4)).toEqual(ONE_EACH(4));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an ADD reset before it ran is ambiguous to the client: looked up, not there, sent again, added once', async () => {
    // The client cannot tell a reset before the command from one after it: only the look-up can.
    const { ws, options } = await setUp({ faultScript: [{ object: 'CUSTOMER', action: 'ADD', nth: 2, fault: 'reset' }] }, customersCsv(3));
    const summary = await importCsv(options(await addWithMatch()));
    expect(ws.emulator.faultLog()).toMatchObject([{ action: 'ADD', nth: 2, when: 'before', fault: 'reset' }]);
    expect(summary).toMatchObject({ rows: 3, added: 3, failed: 0, exitCode: 0 });
    const { success, rows } = reports(ws.dir);
    expect(rows).toEqual(ROWS(3));
    const [record] = await ws.get('CUSTOMER', [['LEGACY_ID', 'K2']]);
    expect(success.get(2)).toMatchObject({ key: 'K2', action: 'added', id: record?.['ACCOUNTNUM'] });
    expect(await counts(ws, 3)).toEqual(ONE_EACH(3));
  });

  it('all ADD attempts used up (timed out, reset, HTTP 502; the look-up finds nothing each time): failed "not added after 3 attempts", pending cleared, --resume sends it once', async () => {
    const { ws, options } = await setUp(
      {
        faultScript: [
          // Never answered: the client gives up after timeoutMs, and the command is not run.
          { object: 'CUSTOMER', action: 'ADD', nth: 2, fault: 'timeout' },
          { object: 'CUSTOMER', action: 'ADD', nth: 3, fault: 'reset' },
          { object: 'CUSTOMER', action: 'ADD', nth: 4, fault: 'http502' },
        ],
      },
      customersCsv(3),
    );
    const mapping = await addWithMatch();
    const first = await importCsv(options(mapping, { timeoutMs: 300 }));
    expect(ws.emulator.faultLog().map((f) => [f.fault, f.nth])).toEqual([['timeout', 2], ['reset', 3], ['http502', 4]]);
    expect(first).toMatchObject({ rows: 3, added: 2, failed: 1, exitCode: 1 });
    const { errors, rows } = reports(ws.dir);
    expect(rows).toEqual(ROWS(3));
    expect(errors.get(2)).toMatchObject({ key: 'K2', stage: 'send', code: 'WAPI_HTTP_STATUS' });
    expect(errors.get(2)?.['error']).toContain('not added after 3 attempts');
    expect(await counts(ws, 3)).toEqual([1, 0, 1]);
    const entries = journal(ws.dir, first.runId as number);
    expect(entries.has(2)).toBe(false);
    expect([...entries.keys()]).toEqual([1, 3]);

    const resumed = await importCsv(options(mapping, { resume: true }));
    expect(resumed).toMatchObject({ resumed: true, rows: 3, added: 3, failed: 0, exitCode: 0 });
    // Rows 1 and 3 come from the journal; row 2 is sent: its look-up and one ADD, fault-free.
    expect(ws.emulator.faultLog()).toHaveLength(3);
    expect(reports(ws.dir).success.get(2)).toMatchObject({ key: 'K2', action: 'added' });
    expect(await counts(ws, 3)).toEqual(ONE_EACH(3));
  });

  it('an ADD whose reply was lost and whose look-up failed too: the row stays pending, and --resume looks again and settles it without sending it twice', async () => {
    const { ws, options } = await setUp(
      {
        faultScript: [
          // Row 2's ADD is applied and its reply lost; the look-up after it fails twice (with the
          // client's one retry).
          { object: 'CUSTOMER', action: 'ADD', nth: 2, when: 'after', fault: 'reset' },
          { object: 'CUSTOMER', action: 'GET', nth: 3, times: 2, fault: 'reset' },
        ],
      },
      customersCsv(3),
    );
    // Matched on EMAIL with no custom field: no CUSTOMER GET before the rows (the tenant's
    // fields are not looked up), so the Nth look-up is counted from row 1.
    const mapping = ws.write('customers-by-email.yaml', ['name: customers', 'object: customer', 'action: add', 'key: legacy_id', 'match: EMAIL', 'fields:', '  FIRSTNAME: first_name', '  LASTNAME: last_name', '  EMAIL: email', '  AUTOPASSWD: { value: "TRUE" }', ''].join('\n'));
    const first = await importCsv(options(mapping));
    expect(ws.emulator.faultLog().map((f) => [f.action, f.nth, f.when])).toEqual([['ADD', 2, 'after'], ['GET', 3, 'before'], ['GET', 4, 'before']]);
    expect(first).toMatchObject({ rows: 3, added: 2, failed: 1, exitCode: 1 });
    const { errors } = reports(ws.dir);
    expect(errors.get(2)).toMatchObject({ key: 'K2', stage: 'send', code: 'WAPI_CONNECTION_RESET' });
    expect(errors.get(2)?.['error']).toContain('run again with --resume to check');
    expect(journal(ws.dir, first.runId as number).get(2)).toMatchObject({ status: 'pending', planned: 'add' });
    const [record] = await ws.get('CUSTOMER', [['EMAIL', 'k2@example.com']]);
    expect(record?.['ACCOUNTNUM']).toMatch(/^\d+$/);

    const resumed = await importCsv(options(mapping, { resume: true }));
    expect(resumed).toMatchObject({ resumed: true, rows: 3, added: 3, failed: 0, exitCode: 0 });
    expect(reports(ws.dir).success.get(2)).toMatchObject({ key: 'K2', action: 'added', id: record?.['ACCOUNTNUM'] });
    expect(journal(ws.dir, first.runId as number).get(2)).toMatchObject({ status: 'done', outcome: 'added', id: record?.['ACCOUNTNUM'] });
    for (let i = 1; i <= 3; i++) expect(await ws.get('CUSTOMER', [['EMAIL', `k${i}@example.com`]]), `K${i}`).toHaveLength(1);
  });
});
