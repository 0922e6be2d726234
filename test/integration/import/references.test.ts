import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, latestOut, readCsv, readSummary, useCredentialsEnv, workspace, type Workspace } from './helpers.js';

beforeAll(useCredentialsEnv);

describe('import with references', () => {
  let ws: Workspace;
  beforeEach(async () => (ws = await workspace()));
  afterEach(async () => ws.close());

  const out = (name: string) => latestOut(ws.dir, name);
  const imp = (csv: string, mapping: string, ...rest: string[]) => ws.cli(['import', fixture(csv), '--mapping', fixture(mapping), ...rest]);

  it('cases take the ACCOUNTNUM the customers import gave; follow-ups the CASENUM; a missing parent is a row error', async () => {
    expect((await imp('customers.csv', 'customers.yaml')).code).toBe(0);
    const customers = Object.fromEntries(readCsv(join(out('customers'), 'success.csv')).map((r) => [r['key'], r['id']]));

    const cases = await imp('cases.csv', 'cases.yaml');
    expect(cases.code).toBe(1);
    const caseIds = Object.fromEntries(readCsv(join(out('cases'), 'success.csv')).map((r) => [r['key'], r['id']]));
    expect(Object.keys(caseIds).sort()).toEqual(['T1', 'T2', 'T4']);
    const [t1] = await ws.get('CASE', [['CASENUM', caseIds['T1'] as string]]);
    expect(t1).toMatchObject({ ACCOUNTNUM: customers['C1'], SUBJECT: 'Wrong VAT', DESCRIPTION: 'Invoice #42: 16% VAT,\nshould be 19%.', STATUS: 'Closed' });
    const [t4] = await ws.get('CASE', [['CASENUM', caseIds['T4'] as string]]);
    expect(t4?.['SUBJECT']).toBe('Ünïcödé subject 世界');
    const errors = readCsv(join(out('cases'), 'errors.csv'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ row: '3', key: 'T3', stage: 'reference', code: 'REFERENCE_MISSING', customer_id: 'C999' });
    expect(errors[0]?.['error']).toMatch(/^customer legacy id C999 was not imported/);

    const followups = await imp('followups.csv', 'followups.yaml');
    expect(followups.code).toBe(1);
    const notes = readCsv(join(out('followups'), 'success.csv'));
    expect(notes.map((r) => r['key']).sort()).toEqual(['N1', 'N2']);
    const got = await ws.get('FOLLOWUP', [['CASENUM', caseIds['T1'] as string]]);
    expect(got.map((f) => f['DESCRIPTION'])).toContain('Left a message.\nWill try again.');
    const n2 = await ws.get('FOLLOWUP', [['CASENUM', caseIds['T2'] as string]]);
    expect(n2.find((f) => f['DESCRIPTION'] === 'Customer confirmed')?.['SUBJECT']).toBe('Note');
    const noteErrors = readCsv(join(out('followups'), 'errors.csv'));
    expect(noteErrors[0]).toMatchObject({ key: 'N3', stage: 'reference', code: 'REFERENCE_MISSING' });
    expect(noteErrors[0]?.['error']).toMatch(/^case legacy id T3 was not imported/);
  });

  it('tasks: upsert with a date converted to MMDDYYYYHH24MI, then unchanged on a second run', async () => {
    await imp('customers.csv', 'customers.yaml');
    expect((await imp('tasks.csv', 'tasks.yaml')).code).toBe(0);
    expect(readSummary(out('tasks'))).toMatchObject({ rows: 2, added: 2 });
    const [a1] = await ws.get('TASK', [['SUBJECT', 'Call back']]);
    expect(a1).toMatchObject({ TASK_STATUS: 'New', ASSIGNEDTO: 'bobp', TASK_LEGACY_ID: 'A1' });
    expect(a1?.['DUEDATE']).toMatch(/^03012024 ?09:?30/);
    expect((await imp('tasks.csv', 'tasks.yaml')).code).toBe(0);
    expect(readSummary(out('tasks'))).toMatchObject({ rows: 2, added: 0, modified: 0, unchanged: 2 });
  });

  it('a look-up reference finds the parent by GET; none found and several found are row errors', async () => {
    await imp('customers.csv', 'customers.yaml');
    const run = await imp('cases-by-email.csv', 'cases-by-email.yaml');
    expect(run.code).toBe(1);
    const success = readCsv(join(out('cases-by-email'), 'success.csv'));
    expect(success.map((r) => r['key']).sort()).toEqual(['E1', 'E2']);
    const [mary] = await ws.get('CUSTOMER', [['EMAIL', 'mary@example.com']]);
    const cases = await ws.get('CASE', [['ACCOUNTNUM', mary?.['ACCOUNTNUM'] as string]]);
    expect(cases.map((c) => c['SUBJECT']).sort()).toEqual(['First', 'Second']);
    const errors = readCsv(join(out('cases-by-email'), 'errors.csv'));
    expect(errors[0]).toMatchObject({ key: 'E3', stage: 'reference', code: 'REFERENCE_MISSING', error: 'no customer has EMAIL="nobody@example.com"' });
  });
});
