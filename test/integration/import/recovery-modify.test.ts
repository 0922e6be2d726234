/**
 * The row sender's MODIFY failing in transit, reached with the emulator's faults by position
 * (README "Faults by position"): checked in the reports, the journal and the CRM, settled by
 * --resume, and taken back by undo.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../../src/emulator/index.js';
import { importCsv, type ImportOptions } from '../../../src/import/import-csv.js';
import { CREDENTIALS, fixture, useCredentialsEnv, workspace, type Workspace } from './helpers.js';
import { customersCsv, existingCustomers, journal, reports } from './recovery-helpers.js';

beforeAll(useCredentialsEnv);

const N = 4;

/** The file: every customer's notes changed. */
/** Every customer's notes by legacy id (and how many records carry it). */
async function notes(ws: Workspace): Promise<string[]> {
  const out: string[] = [];
  for (let i = 1; i <= N; i++) {
    const found = await ws.get('CUSTOMER', [['LEGACY_ID', `K${i}`]]);
    out.push(found.map((c) => c['COMMENTS']).join(' | '));
  }
  return out;
}

describe('recovery of a MODIFY', () => {
  let ws: Workspace | undefined;
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });

  async function setUp(emulator: EmulatorOptions) {
    ws = await workspace({ fixtures: existingCustomers(N), ...emulator });
    const w = ws;
    const file = w.write('in.csv', customersCsv(N, { note: 'new note' }));
    // One row at a time, one retry: the Nth MODIFY is row N's, and two faults in a row exhaust it.
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
    return { ws: w, options };
  }

  it('a MODIFY failing in transit before it ran: reported failed, --resume sends it again, the record ends modified once', async () => {
    const { ws, options } = await setUp({ faultScript: [{ object: 'CUSTOMER', action: 'MODIFY', nth: 2, times: 2, fault: 'http500' }] });
    const first = await importCsv(options());
    expect(ws.emulator.faultLog().map((f) => [f.action, f.nth, f.when])).toEqual([['MODIFY', 2, 'before'], ['MODIFY', 3, 'before']]);
    expect(first).toMatchObject({ rows: N, modified: N - 1, failed: 1, exitCode: 1 });
    const { errors, rows } = reports(ws.dir);
    expect(rows).toEqual([1, 2, 3, 4]);
    expect(errors.get(2)).toMatchObject({ key: 'K2', stage: 'send', code: 'WAPI_HTTP_STATUS' });
    expect(await notes(ws)).toEqual(['new note 1', 'old note 2', 'new note 3', 'new note 4']);

    const resumed = await importCsv(options({ resume: true }));
    expect(resumed).toMatchObject({ resumed: true, rows: N, modified: N, failed: 0, exitCode: 0 });
    expect(reports(ws.dir).success.get(2)).toMatchObject({ key: 'K2', action: 'modified', id: '30000002' });
    expect(journal(ws.dir, first.runId as number).get(2)).toMatchObject({ status: 'done', outcome: 'modified', before: { COMMENTS: 'old note 2' } });
    expect(await notes(ws)).toEqual(['new note 1', 'new note 2', 'new note 3', 'new note 4']);
  });

  // Regression: a MODIFY applied whose replies were lost had its pending entry (and the
  // before-image in it) dropped; --resume then found nothing to change and reported the row
  // "unchanged", and undo left the import's values in the CRM.
  it('a MODIFY applied whose replies were lost: --resume reports it modified, and undo restores the values it replaced', async () => {
    const { ws, options } = await setUp({ faultScript: [{ object: 'CUSTOMER', action: 'MODIFY', nth: 2, times: 2, when: 'after', fault: 'reset' }] });
    const first = await importCsv(options());
    expect(ws.emulator.faultLog().map((f) => [f.action, f.nth, f.when])).toEqual([['MODIFY', 2, 'after'], ['MODIFY', 3, 'after']]);
    expect(first).toMatchObject({ rows: N, modified: N - 1, failed: 1, exitCode: 1 });
    expect(reports(ws.dir).errors.get(2)).toMatchObject({ key: 'K2', stage: 'send', code: 'WAPI_CONNECTION_RESET' });
    // Applied (twice, the same values): the outcome is unknown to the run, so the entry stays.
    expect(await notes(ws)).toEqual(['new note 1', 'new note 2', 'new note 3', 'new note 4']);
    expect(journal(ws.dir, first.runId as number).get(2)).toMatchObject({ status: 'pending', planned: 'modify', before: { COMMENTS: 'old note 2' } });

    const resumed = await importCsv(options({ resume: true }));
    expect(resumed).toMatchObject({ resumed: true, rows: N, modified: N, unchanged: 0, failed: 0, exitCode: 0 });
    expect(reports(ws.dir).success.get(2)).toMatchObject({ key: 'K2', action: 'modified', id: '30000002' });
    expect(journal(ws.dir, first.runId as number).get(2)).toMatchObject({ status: 'done', outcome: 'modified', before: { COMMENTS: 'old note 2' } });

    const undo = await ws.cli(['undo']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await notes(ws)).toEqual(['old note 1', 'old note 2', 'old note 3', 'old note 4']);
  });
});
