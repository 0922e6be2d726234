import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { exportRecords } from '../../../src/export/export-records.js';
import { WapiClient } from '../../../src/client/wapi-client.js';
import { buildHistory } from './history.js';
import { CREDENTIALS, readCsv, tempDir } from './helpers.js';

const history = buildHistory({ customers: 300, cases: 300, tasks: 300, followups: 200, days: 120, seed: 9 });
// The emulator's clock, moved by the test: modifications get its time as LASTMODDATE.
let clock = new Date('2025-01-10T10:00:00Z');
let emulator: RunningEmulator;
let client: WapiClient;
const tmp = tempDir();
const state = join(tmp.dir, 'state.sqlite');
let runs = 0;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, maxItems: 7, fixtures: history, now: () => clock });
  client = new WapiClient({ url: emulator.url, credentials: CREDENTIALS });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
  tmp.remove();
});

async function incremental(object: string) {
  const summary = await exportRecords({
    object,
    out: join(tmp.dir, `${object}-${++runs}.csv`),
    url: emulator.url,
    credentials: CREDENTIALS,
    maxItems: 7,
    state,
  });
  expect(summary.exitCode).toBe(0);
  return { summary, rows: readCsv(summary.out) };
}

const modify = (object: string, idTag: string, id: string | number, tags: Array<[string, string]>) =>
  client.call({ object, action: 'MODIFY', tags: [[idTag, String(id)], ...tags] });

describe('incremental export with --state', () => {
  it('exports everything first, then only what was added or modified since', async () => {
    const first = await incremental('customer');
    expect(first.rows).toHaveLength(300);
    expect(first.summary.countMatches).toBe(true);
    expect(first.summary.incremental?.since).toBeNull();

    const customers = history.customers ?? [];
    const changed = [customers[5], customers[150], customers[299]].map((c) => String(c?.['ACCOUNTNUM']));
    for (const id of changed) await modify('CUSTOMER', 'ACCOUNTNUM', id, [['FIRSTNAME', 'Changed']]);
    const added: string[] = [];
    for (const name of ['New1', 'New2']) {
      const reply = await client.call({ object: 'CUSTOMER', action: 'ADD', tags: [['FIRSTNAME', name], ['LASTNAME', 'X'], ['AUTOPASSWD', 'TRUE']] });
      added.push(reply.items[0]?.['ACCOUNTNUM'] ?? reply.values['ACCOUNTNUM'] ?? '');
    }

    const second = await incremental('customer');
    expect(second.rows.map((r) => r['ACCOUNTNUM'])).toEqual([...changed, ...added].sort((a, b) => Number(a) - Number(b)));
    expect(second.rows.filter((r) => r['FIRSTNAME'] === 'Changed')).toHaveLength(3);
    // The server filters by day: the day before the bookmark came back and was dropped by id.
    expect(second.summary.incremental?.since).toBe(first.summary.incremental?.bookmark);
    expect(second.summary.incremental?.bookmark).toBe('2025-01-10T10:00:00');

    // Changed within the bookmark's second, after the run: still picked up, and alone.
    await modify('CUSTOMER', 'ACCOUNTNUM', String(customers[7]?.['ACCOUNTNUM']), [['LASTNAME', 'Later']]);
    const third = await incremental('customer');
    expect(third.rows.map((r) => r['LASTNAME'])).toEqual(['Later']);
    expect(third.summary.incremental?.skipped).toBeGreaterThan(0);

    const fourth = await incremental('customer');
    expect(fourth.rows).toEqual([]);
    expect(fourth.summary.records).toBe(0);
  });

  it('keeps one bookmark per object; a modified case brings its automatic follow-up', async () => {
    const base = await incremental('case');
    expect(base.rows.length).toBe(300);
    const followupsBase = await incremental('followup');
    expect(followupsBase.rows.length).toBe(200);

    clock = new Date('2025-01-11T09:00:00Z');
    const cases = history.cases ?? [];
    const hidden = cases.find((c) => c['CREATEDBY'] === 'oldagent');
    const ids = [String(cases[3]?.['CASENUM']), String(hidden?.['CASENUM'])].sort((a, b) => Number(a) - Number(b));
    for (const id of ids) await modify('CASE', 'CASENUM', id, [['SUBJECT', `Changed ${id}`]]);

    const next = await incremental('case');
    expect(next.rows.map((r) => r['CASENUM'])).toEqual(ids);
    const followups = await incremental('followup');
    expect(followups.rows.map((r) => r['CASENUM']).sort()).toEqual([...ids].sort());
  });

  it('picks up a modified task assigned to a deleted agent', async () => {
    await incremental('task');
    clock = new Date('2025-01-12T09:00:00Z');
    const task = (history.tasks ?? []).find((t) => t['ASSIGNEDTO'] === 'oldagent');
    await modify('TASK', 'TASKNUM', String(task?.['TASKNUM']), [['SUBJECT', 'Still here']]);
    const next = await incremental('task');
    expect(next.rows.map((r) => [r['TASKNUM'], r['SUBJECT'], r['ASSIGNEDTO']])).toEqual([[String(task?.['TASKNUM']), 'Still here', 'oldagent']]);
  });

  it('refuses --state for objects without a modification date, and with --modified-from', async () => {
    await expect(exportRecords({ object: 'faq', out: join(tmp.dir, 'f.csv'), url: emulator.url, credentials: CREDENTIALS, state })).rejects.toThrow(/nothing to export incrementally/);
    await expect(
      exportRecords({ object: 'case', out: join(tmp.dir, 'c.csv'), url: emulator.url, credentials: CREDENTIALS, state, modifiedFrom: '2024-01-01' }),
    ).rejects.toThrow(/bookmark decides/);
  });
});
