/**
 * Reconcile of cases (ACCOUNTNUM by `ref: customers`), tasks (a date-and-time field) and
 * follow-ups (no match field: joined on the case and the number the id map holds), after the
 * import tests' own fixtures were imported in order.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WapiClient } from '../../../src/client/wapi-client.js';
import { CREDENTIALS, fixture, runReconcile, useCredentialsEnv, workspace, type Workspace } from './helpers.js';

beforeAll(useCredentialsEnv);

describe('reconcile cases, tasks and follow-ups', () => {
  let ws: Workspace;
  let client: WapiClient;
  beforeEach(async () => {
    ws = await workspace();
    client = new WapiClient({ url: ws.emulator.url, credentials: CREDENTIALS });
    for (const name of ['customers', 'cases', 'tasks', 'followups']) await ws.cli(['import', fixture(`${name}.csv`), '--mapping', fixture(`${name}.yaml`)]);
  });
  afterEach(async () => {
    await client.close();
    await ws.close();
  });

  const reconcile = (name: string, ...rest: string[]) => runReconcile(ws, fixture(`${name}.csv`), fixture(`${name}.yaml`), name, ...rest);
  const caseOf = async (legacy: string) => (await ws.get('CASE', [['CASE_LEGACY_ID', legacy]]))[0] as Record<string, string>;

  it('right after their imports, each is clean but for the rows the import refused', async () => {
    for (const strategy of ['walk', 'lookup']) {
      const customers = await reconcile('customers', '--strategy', strategy);
      expect(customers.code, customers.stdout).toBe(0);

      // T3's customer was never imported: the import refused it, and so does reconcile.
      const cases = await reconcile('cases', '--strategy', strategy);
      expect(cases.code).toBe(1);
      expect(cases.out.summary).toMatchObject({ sourceRows: 4, same: 3, missing: 0, different: 0, invalid: 1 });
      expect(cases.out.invalid.map((r) => [r['key'], r['stage'], r['code']])).toEqual([['T3', 'reference', 'REFERENCE_MISSING']]);
      expect(cases.out.invalid[0]?.['error']).toMatch(/^customer legacy id C999 was not imported/);

      const tasks = await reconcile('tasks', '--strategy', strategy);
      expect(tasks.code, JSON.stringify(tasks.out.different)).toBe(0);
      expect(tasks.out.summary).toMatchObject({ sourceRows: 2, same: 2 });

      const followups = await reconcile('followups', '--strategy', strategy);
      expect(followups.code).toBe(1);
      expect(followups.out.summary).toMatchObject({ sourceRows: 3, same: 2, missing: 0, different: 0, invalid: 1, extra: null });
      expect(followups.out.invalid.map((r) => [r['key'], r['code']])).toEqual([['N3', 'REFERENCE_MISSING']]);
      expect(followups.out.summary.warnings.join('\n')).toMatch(/the mapping has no match: field/);
    }
  });

  it('a case reports its changed fields, and a reference with its legacy key', async () => {
    const t2 = await caseOf('T2');
    await client.call({ object: 'CASE', action: 'MODIFY', tags: [['CASENUM', t2['CASENUM'] as string], ['SUBJECT', 'Late, and lost'], ['STATUS', 'Closed']] });
    // The source now says T1 belongs to C3: the id map gives C3's account, the CRM has C1's.
    const edited = ws.write('cases.csv', (await import('node:fs')).readFileSync(fixture('cases.csv'), 'utf8').replace('T1,C1,', 'T1,C3,'));
    const c1 = (await ws.get('CUSTOMER', [['LEGACY_ID', 'C1']]))[0]?.['ACCOUNTNUM'];
    const c3 = (await ws.get('CUSTOMER', [['LEGACY_ID', 'C3']]))[0]?.['ACCOUNTNUM'];
    const { code, out } = await runReconcile(ws, edited, fixture('cases.yaml'), 'cases');
    expect(code).toBe(1);
    expect(out.summary).toMatchObject({ same: 1, different: 2, differentFields: 3, invalid: 1 });
    expect(out.different).toEqual([
      { key: 'T1', id: (await caseOf('T1'))['CASENUM'], field: 'ACCOUNTNUM', source: `${c3} (customers C3)`, crm: c1 },
      { key: 'T2', id: t2['CASENUM'], field: 'SUBJECT', source: 'Late delivery', crm: 'Late, and lost' },
      { key: 'T2', id: t2['CASENUM'], field: 'STATUS', source: 'Open', crm: 'Closed' },
    ]);
    expect(out.summary.warnings.join('\n')).toMatch(/2 rows differ, and mapping "cases" adds only: importing repair.csv with it refuses them/);
  });

  it('a task: dates compared as dates, a changed status reported, a deleted task missing', async () => {
    const [a1] = await ws.get('TASK', [['TASK_LEGACY_ID', 'A1']]);
    expect(a1?.['DUEDATE']).toMatch(/^03012024 09:30/);
    const [a2] = await ws.get('TASK', [['TASK_LEGACY_ID', 'A2']]);
    await client.call({ object: 'TASK', action: 'MODIFY', tags: [['TASKNUM', a1?.['TASKNUM'] as string], ['TASK_STATUS', 'Pending'], ['DUEDATE', '030120241000']] });
    await client.call({ object: 'TASK', action: 'DELETE', tags: [['TASKNUM', a2?.['TASKNUM'] as string]] });
    const { code, out } = await reconcile('tasks');
    expect(code).toBe(1);
    expect(out.summary).toMatchObject({ missing: 1, different: 1, differentFields: 2 });
    expect(out.different.map((r) => [r['field'], r['source'], r['crm']])).toEqual([
      ['TASK_STATUS', 'New', 'Pending'],
      ['DUEDATE', '030120240930', '03012024 10:00:00'],
    ]);
    expect(out.missing.map((r) => r['activity_id'])).toEqual(['A2']);

    // The repair round trip (tasks.yaml upserts).
    const repair = await ws.cli(['import', `${out.dir}/repair.csv`, '--mapping', fixture('tasks.yaml')]);
    expect(repair.code, repair.stderr).toBe(0);
    expect((await reconcile('tasks')).code).toBe(0);
  });

  it('look-ups that come back full cannot be sure: the run walks instead, and says so', async () => {
    await ws.close();
    // Follow-ups of one case on two days: the walk can tell them apart by day, a look-up cannot.
    let clock = Date.UTC(2024, 0, 1, 9);
    ws = await workspace({ maxItems: 2, now: () => new Date(clock) });
    for (const name of ['customers', 'cases', 'followups']) await ws.cli(['import', fixture(`${name}.csv`), '--mapping', fixture(`${name}.yaml`)]);
    await client.close();
    client = new WapiClient({ url: ws.emulator.url, credentials: CREDENTIALS });
    const t1 = (await caseOf('T1'))['CASENUM'] as string;
    clock += 86_400_000;
    await client.call({ object: 'FOLLOWUP', action: 'ADD', tags: [['CASENUM', t1], ['SUBJECT', 'By hand'], ['DESCRIPTION', 'a second note on T1']] });
    const { out } = await reconcile('followups', '--strategy', 'lookup');
    expect(out.summary.warnings.filter((w) => /incomplete/.test(w))).toEqual([]);
    expect(out.summary).toMatchObject({ strategy: 'walk', same: 2, missing: 0, invalid: 1, status: 'completed' });
    expect(out.summary['strategyReason']).toMatch(/look-ups could not be sure/);
    expect(out.summary.warnings.join('\n')).toMatch(/may have been cut: the whole object was walked instead/);
  });

  it('a deleted follow-up is missing; a follow-up added by hand is no one\'s business', async () => {
    const t1 = (await caseOf('T1'))['CASENUM'] as string;
    const notes = await ws.get('FOLLOWUP', [['CASENUM', t1]]);
    const n1 = notes.find((n) => n['SUBJECT'] === 'Called') as Record<string, string>;
    await client.call({ object: 'FOLLOWUP', action: 'DELETE', tags: [['CASENUM', t1], ['FOLLOWUPNUM', n1['FOLLOWUPNUM'] as string]] });
    await client.call({ object: 'FOLLOWUP', action: 'ADD', tags: [['CASENUM', t1], ['SUBJECT', 'By hand'], ['DESCRIPTION', 'an agent wrote this']] });
    for (const strategy of ['walk', 'lookup']) {
      const { code, out } = await reconcile('followups', '--strategy', strategy);
      expect(code).toBe(1);
      expect(out.summary).toMatchObject({ same: 1, missing: 1, invalid: 1, extra: null });
      expect(out.missing.map((r) => r['note_id'])).toEqual(['N1']);
    }
  });
});
