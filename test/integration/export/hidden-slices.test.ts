import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type Fixtures } from '../../../src/emulator/index.js';
import { exportRecords } from '../../../src/export/export-records.js';
import { CREDENTIALS, readCsv, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

const at = (day: number, second: number) => new Date(Date.UTC(2024, 0, 1 + day, 10, 0, second)).toISOString().slice(0, 19);

/** 60 ordinary records over 30 days, then 20 on one day by the deleted agent, with the highest ids. */
function history(object: 'cases' | 'tasks', idTag: string, extra: Record<string, string>): Fixtures {
  const rows: Record<string, string | number>[] = [];
  const row = (id: number, day: number, more: Record<string, string> = {}) => ({
    [idTag]: id,
    ACCOUNTNUM: 10_000_000,
    SUBJECT: `s${id}`,
    DESCRIPTION: 'd',
    CREATEDDATE: at(day, id % 60),
    LASTMODDATE: at(day, id % 60),
    CREATEDBY: 'johnd',
    ASSIGNEDTO: 'johnd',
    ...(object === 'cases' ? { STATUS: 'Open' } : {}),
    ...more,
  });
  for (let i = 1; i <= 60; i++) rows.push(row(i, Math.floor(i / 2)));
  for (let i = 0; i < 20; i++) rows.push(row(200 + i, 45, extra));
  return { customers: [{ ACCOUNTNUM: 10_000_000, FIRSTNAME: 'A', LASTNAME: 'B', AUTOPASSWD: 'TRUE' }], [object]: rows };
}

// Regression (review): the exact-id scan of a crowded day stopped at the visible summary's
// LASTID, so the deleted agent's records above it were lost, and since TOTAL does not count
// them, the run still exited 0.
describe('records only a deleted-agent query shows, above every visible id', () => {
  it.each([
    ['case', 'cases', 'CASENUM', { CREATEDBY: 'oldagent' }],
    ['task', 'tasks', 'TASKNUM', { CREATEDBY: 'oldagent' }],
    ['task', 'tasks', 'TASKNUM', { ASSIGNEDTO: 'oldagent' }],
  ] as const)('%s with %s %j: all exported', async (object, key, idTag, extra) => {
    const fixtures = history(key, idTag, extra);
    const emulator = await startEmulator({ port: 0, maxItems: 7, fixtures });
    try {
      const out = join(tmp.dir, `${object}-${Object.keys(extra)[0]}.csv`);
      const summary = await exportRecords({ object, out, url: emulator.url, credentials: CREDENTIALS, maxItems: 7 });
      const expected = (fixtures[key] ?? []).map((r) => Number(r[idTag]));
      expect(readCsv(out).map((r) => Number(r[idTag]))).toEqual(expected);
      expect(summary).toMatchObject({ exitCode: 0, hiddenRecords: 20 });
    } finally {
      await emulator.close();
    }
  });
});
