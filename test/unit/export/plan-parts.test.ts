import { describe, expect, it } from 'vitest';
import { trieChildren, trieValue } from '../../../src/export/plan-followups.js';
import { partitionLadder } from '../../../src/export/partitions.js';
import { slicesFor } from '../../../src/export/plan-windows.js';
import { acceptItem } from '../../../src/export/record-filter.js';
import { SortSpool } from '../../../src/export/sort-spool.js';
import { recordKey } from '../../../src/export/record-key.js';
import { parseDayOption } from '../../../src/export/dates.js';
import type { PlanContext, SendFn } from '../../../src/export/plan-types.js';

describe('the case-number trie (follow-ups)', () => {
  it('covers exactly what its parent covered', () => {
    expect(trieValue({ prefix: '', exact: false })).toBe('%');
    expect(trieChildren('').map(trieValue)).toEqual(['1%', '2%', '3%', '4%', '5%', '6%', '7%', '8%', '9%']);
    expect(trieChildren('12').map(trieValue)).toEqual(['12', '120%', '121%', '122%', '123%', '124%', '125%', '126%', '127%', '128%', '129%']);
    // Every case number up to 5 digits under `12%` is matched by exactly one child.
    const matches = (value: string, n: string) => (value.endsWith('%') ? n.startsWith(value.slice(0, -1)) : n === value);
    for (let n = 1; n < 100_000; n += 7) {
      const id = String(n);
      const parent = matches('12%', id);
      const hits = trieChildren('12').filter((c) => matches(trieValue(c), id)).length;
      expect(hits).toBe(parent ? 1 : 0);
    }
  });
});

describe('slices and partitions (cases and tasks)', () => {
  it('asks for deleted agents in separate, disjoint slices', () => {
    expect(slicesFor('CASE').map((s) => s.tags)).toEqual([[], [['CREATEDBY', 'Deleted Agents']]]);
    expect(slicesFor('TASK').map((s) => s.tags)).toEqual([
      [],
      [['CREATEDBY', 'Deleted Agents']],
      [['ASSIGNEDTO', 'Deleted Agents']],
      [
        ['CREATEDBY', 'Deleted Agents'],
        ['ASSIGNEDTO', 'Deleted Agents'],
      ],
    ]);
    expect(slicesFor('TASK').filter((s) => s.counted)).toHaveLength(1);
  });

  const lists: SendFn = async (object) =>
    object === 'AGENTS' ? [{ AGENTID: 'johnd' }, { AGENTID: 'jsmith' }] : [{ GROUPID: '101' }];
  const ctx = (send: SendFn) => ({ send }) as unknown as PlanContext;

  it('splits a day by every assignee, then every creator, staying inside the slice', async () => {
    expect(await partitionLadder(ctx(lists), 'CASE', [])).toEqual([
      { tag: 'ASSIGNEDTO', values: ['johnd', 'jsmith', '101', 'None', 'Deleted Groups', 'Deleted Agents'] },
      { tag: 'CREATEDBY', values: ['johnd', 'jsmith', '101', 'Customers'] },
    ]);
    // A task slice without ASSIGNEDTO leaves out deleted agents' tasks: not named here.
    expect(await partitionLadder(ctx(lists), 'TASK', [])).toEqual([
      { tag: 'ASSIGNEDTO', values: ['johnd', 'jsmith', '101', 'None', 'Deleted Groups'] },
      { tag: 'CREATEDBY', values: ['johnd', 'jsmith', '101', 'Customers'] },
    ]);
    expect(await partitionLadder(ctx(lists), 'TASK', [['ASSIGNEDTO', 'Deleted Agents']])).toEqual([
      { tag: 'CREATEDBY', values: ['johnd', 'jsmith', '101', 'Customers'] },
    ]);
    expect(await partitionLadder(ctx(lists), 'TASK', [['ASSIGNEDTO', 'Deleted Agents'], ['CREATEDBY', 'Deleted Agents']])).toEqual([]);
  });

  it('goes straight to exact ids when the lists cannot be read, and says so', async () => {
    const notes: string[] = [];
    const quiet = { send: async () => Promise.reject(new Error('down')), warn: (m: string) => notes.push(m) } as unknown as PlanContext;
    expect(await partitionLadder(quiet, 'CASE', [])).toEqual([]);
    expect(notes).toEqual(['LIST AGENTS/GROUPS failed (down): a crowded day of cases is read one id at a time']);
  });

  it('lets a refused login or a missing right through: the export stops, it does not fall back', async () => {
    // Found in review: every error was swallowed here, login and permission included.
    for (const code of ['WAPI_AUTH', 'WAPI_PERMISSION']) {
      const denied = ctx(async () => Promise.reject(Object.assign(new Error(code), { code })));
      await expect(partitionLadder(denied, 'CASE', [])).rejects.toMatchObject({ code });
    }
  });
});

describe('record filter', () => {
  const d = (iso: string) => parseDayOption(iso) as number;
  it.each([
    [{ fromId: 5 }, { CASENUM: '4' }, false],
    [{ fromId: 5, toId: 9 }, { CASENUM: '9' }, true],
    [{ created: { from: d('2024-03-01'), to: d('2024-03-02') } }, { CASENUM: '1', CREATEDDATE: '03012024 23:59:59' }, true],
    [{ created: { from: d('2024-03-01'), to: d('2024-03-02') } }, { CASENUM: '1', CREATEDDATE: '03022024 00:00:00' }, false],
    [{ modified: { from: d('2024-03-01') } }, { CASENUM: '1', LASTMODDATE: '' }, false],
    [{}, { CASENUM: '1' }, true],
  ])('%o on %o: %s', (filter, item, kept) => {
    expect(acceptItem(filter, item, 'CASENUM')).toBe(kept);
  });
});

describe('SortSpool', () => {
  it('gives records back in id order, once each, with every tag seen', () => {
    const spool = new SortSpool(recordKey('CASE', 'CASENUM'));
    try {
      spool.add([{ CASENUM: '30', A: 'x' }, { CASENUM: '2' }], true);
      spool.add([{ CASENUM: '2', A: 'dup' }, { CASENUM: '100', B: 'é😀' }, { CASENUM: '' }], false);
      const rows = [...spool.drain()];
      expect(rows.map((r) => [r.item['CASENUM'], r.counted])).toEqual([
        ['2', true],
        ['30', true],
        ['100', false],
      ]);
      expect(rows[2]?.item['B']).toBe('é😀');
      expect(spool.duplicates).toBe(1);
      expect(spool.withoutId).toBe(1);
      expect([...spool.keys]).toEqual(['CASENUM', 'A', 'B']);
    } finally {
      spool.close();
    }
  });
});

describe('record keys', () => {
  it('orders follow-ups by the tenant-wide FOLLOWUPID, FOLLOWUPNUM counting within a case', () => {
    const key = recordKey('FOLLOWUP', 'FOLLOWUPNUM');
    expect(key({ CASENUM: '35', FOLLOWUPNUM: '3', FOLLOWUPID: '5' })).toBe(5);
    expect(key({ CASENUM: '35', FOLLOWUPNUM: '3' })).toBe(35_000_003);
    expect(recordKey('CASE', 'CASENUM')({ CASENUM: '12' })).toBe(12);
  });
});
