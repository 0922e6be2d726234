/**
 * The row sender's DELETE failing in transit after the server applied it, reached with the
 * emulator's faults by position (README "Faults by position"): the row stays in flight, and
 * --resume settles it from the CRM (the record is gone) and from the journal (what was deleted).
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importCsv, type ImportOptions } from '../../../src/import/import-csv.js';
import { scopeOf } from '../../../src/state/crm-scope.js';
import { StateStore } from '../../../src/state/state-store.js';
import { CREDENTIALS, fixture, latestOut, readCsv, useCredentialsEnv, workspace, type Workspace } from './helpers.js';
import { customersCsv, journal, reports } from './recovery-helpers.js';

beforeAll(useCredentialsEnv);

const N = 4;

const DELETE = ['name: customers-delete', 'object: customer', 'action: delete', 'key: legacy_id', 'match: LEGACY_ID', 'customFields: [LEGACY_ID]', 'fields:', '  LEGACY_ID: legacy_id', ''].join('\n');

describe('recovery of a DELETE', () => {
  let ws: Workspace | undefined;
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });

  // Regression: --resume reported a DELETE that landed before the interruption with an empty id
  // (its row found the record by match), and the id map kept the deleted record's id.
  it('a DELETE applied whose replies were lost: the row stays in flight, and --resume reports it deleted with its id and drops its id map entry', async () => {
    ws = await workspace({ faultScript: [{ object: 'CUSTOMER', action: 'DELETE', nth: 2, times: 2, when: 'after', fault: 'reset' }] });
    const w = ws;
    const file = w.write('in.csv', customersCsv(N));
    const options = (mapping: string, extra: Partial<ImportOptions> = {}): ImportOptions => ({
      file,
      mapping,
      connection: { url: w.emulator.url, credentials: CREDENTIALS },
      cwd: w.dir,
      concurrency: 1,
      retries: 1,
      retryBaseMs: 5,
      ...extra,
    });
    // The customers are imported first: the id map holds their ids, as a case import would use them.
    expect(await importCsv(options(fixture('customers.yaml')))).toMatchObject({ added: N, failed: 0 });
    const ids = readCsv(join(latestOut(w.dir, 'customers'), 'success.csv')).map((r) => r['id']);
    const scope = scopeOf(w.emulator.url, CREDENTIALS.tenant);
    const idMap = (key: string) => {
      const state = StateStore.open(join(w.dir, '.wapi-bulk', 'state.sqlite'), { readonly: true });
      try {
        return state.getId(scope, 'customers', key)?.id;
      } finally {
        state.close();
      }
    };
    expect(idMap('K2')).toBe(ids[1]);

    const mapping = w.write('customers-delete.yaml', DELETE);
    const first = await importCsv(options(mapping));
    expect(w.emulator.faultLog().map((f) => [f.action, f.nth, f.when])).toEqual([['DELETE', 2, 'after'], ['DELETE', 3, 'after']]);
    expect(first).toMatchObject({ rows: N, failed: 1, exitCode: 1 });
    expect(reports(w.dir, 'customers-delete').errors.get(2)).toMatchObject({ key: 'K2', stage: 'send', code: 'WAPI_CONNECTION_RESET' });
    // The first DELETE was applied: the record is gone, and the run does not know it.
    expect(await w.get('CUSTOMER', [['LEGACY_ID', 'K2']])).toEqual([]);
    expect(journal(w.dir, first.runId as number).get(2)).toMatchObject({ status: 'pending', planned: 'delete', before: { ACCOUNTNUM: ids[1], LEGACY_ID: 'K2' } });

    const resumed = await importCsv(options(mapping, { resume: true }));
    expect(resumed).toMatchObject({ resumed: true, rows: N, deleted: N, failed: 0, exitCode: 0 });
    const last = reports(w.dir, 'customers-delete');
    expect(last.rows).toEqual([1, 2, 3, 4]);
    expect(last.success.get(2)).toMatchObject({ key: 'K2', action: 'deleted', id: ids[1], note: 'deleted before the interruption' });
    expect(journal(w.dir, first.runId as number).get(2)).toMatchObject({ status: 'done', outcome: 'deleted', id: ids[1] });
    // No id map entry names a deleted record: a reference to K2 is "not imported", not a dead id.
    for (const key of ['K1', 'K2', 'K3', 'K4']) expect(idMap(key), key).toBeUndefined();
    expect(Number((await w.get('CUSTOMER', []))[0]?.['TOTAL'] ?? 0)).toBe(0);
  });
});
