/**
 * GET semantics (README, "Protocol notes" and "Replies"): tags AND together, a repeated
 * multi-value tag is an OR, `%` only where allowed, `_` literal, date ranges, the keywords,
 * records of deleted agents hidden, the empty-GET summary, max-items, case-sensitive values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { CATALOGUE, OBJECTS } from '../../src/protocol/catalogue.js';
import { replySummary } from '../../src/protocol/reply.js';
import { emulator, expectRejected, get, ok, SAMPLE_CUSTOM, send, type Tags } from './helpers.js';

const customer = (id: number, first: string, last: string, extra: Record<string, string> = {}) => ({
  ACCOUNTNUM: id,
  FIRSTNAME: first,
  LASTNAME: last,
  AUTOPASSWD: 'TRUE',
  ...extra,
});

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await emulator({
    fixtures: {
      customers: [
        customer(1000001, 'Ada', 'Lovelace', { COMPANY: 'abc', CREATEDDATE: '2024-01-01T00:00:00' }),
        customer(10000010, 'ada', 'Byron', { COMPANY: 'a_c', CREATEDDATE: '2024-01-01T23:59:59' }),
        customer(10000011, 'Ada', 'Byron', { COMPANY: 'a\\c', CREATEDDATE: '2024-01-02T00:00:00', EMAIL: 'ada@b.com' }),
        customer(10000019, 'Alan', 'Turing', { COMPANY: 'A%C', CREATEDDATE: '2023-12-31T23:59:59', LEGACY_ID: 'T-1' }),
        customer(100000123, 'Grace', 'Hopper', { CREATEDDATE: '2024-02-01T12:00:00' }),
      ],
      cases: [
        { CASENUM: 1, ACCOUNTNUM: 10000010, SUBJECT: 'a', DESCRIPTION: 'd', STATUS: 'Open', PRIORITY: 'High', ASSIGNEDTO: 'jsmith', CREATEDBY: 'johnd' },
        { CASENUM: 2, ACCOUNTNUM: 10000010, SUBJECT: 'b', DESCRIPTION: 'd', STATUS: 'Pending', PRIORITY: 'Low', ASSIGNEDTO: 'bobp', CREATEDBY: 'johnd' },
        { CASENUM: 3, ACCOUNTNUM: 10000011, SUBJECT: 'c', DESCRIPTION: 'd', STATUS: 'Open', PRIORITY: 'Low', ASSIGNEDTO: '102', CREATEDBY: 'oldagent' },
        { CASENUM: 4, ACCOUNTNUM: 10000011, SUBJECT: 'd', DESCRIPTION: 'd', STATUS: 'Closed', PRIORITY: 'High', CREATEDBY: '' },
        { CASENUM: 5, ACCOUNTNUM: 10000011, SUBJECT: 'e', DESCRIPTION: 'd', STATUS: 'Escalated', PRIORITY: 'High', ASSIGNEDTO: '103', CREATEDBY: 'jsmith' },
      ],
      tasks: [
        { TASKNUM: 1, ACCOUNTNUM: 10000010, SUBJECT: 'plain', ASSIGNEDTO: 'jsmith', CREATEDBY: 'johnd', TASK_STATUS: 'New' },
        { TASKNUM: 2, ACCOUNTNUM: 10000010, SUBJECT: 'made by a gone agent', ASSIGNEDTO: 'jsmith', CREATEDBY: 'oldagent', TASK_STATUS: 'New' },
        { TASKNUM: 3, ACCOUNTNUM: 10000010, SUBJECT: 'for a gone agent', ASSIGNEDTO: 'oldagent', CREATEDBY: 'johnd', TASK_STATUS: 'Closed' },
        { TASKNUM: 4, ACCOUNTNUM: 10000010, SUBJECT: 'both gone', ASSIGNEDTO: 'oldagent', CREATEDBY: 'oldagent', TASK_STATUS: 'New' },
        { TASKNUM: 5, ACCOUNTNUM: 10000011, SUBJECT: 'group', ASSIGNEDTO: '101', CREATEDBY: 'bobp', TASK_STATUS: 'Pending' },
      ],
    },
  });
});
afterAll(() => emu.close());

const ids = async (object: string, tags: Tags, idTag: string) => (await get(emu.url, object, tags)).map((i) => i[idTag]);
const customers = (tags: Tags) => ids('CUSTOMER', tags, 'ACCOUNTNUM');
const cases = (tags: Tags) => ids('CASE', tags, 'CASENUM');
const tasks = (tags: Tags) => ids('TASK', tags, 'TASKNUM');

describe('combining tags', () => {
  it('different tags AND together', async () => {
    expect(await customers([['FIRSTNAME', 'Ada']])).toEqual(['1000001', '10000011']);
    expect(await customers([['FIRSTNAME', 'Ada'], ['LASTNAME', 'Byron']])).toEqual(['10000011']);
    expect(await cases([['STATUS', 'Open'], ['PRIORITY', 'Low']])).toEqual([]);
  });

  it('a repeated multi-value tag is an OR, still ANDed with the other tags', async () => {
    expect(await cases([['STATUS', 'Open'], ['STATUS', 'Pending']])).toEqual(['1', '2']);
    expect(await cases([['STATUS', 'Open'], ['STATUS', 'Pending'], ['PRIORITY', 'High']])).toEqual(['1']);
    expect(await cases([['PRIORITY', 'High'], ['PRIORITY', 'Low'], ['ASSIGNEDTO', 'jsmith'], ['ASSIGNEDTO', 'bobp']])).toEqual(['1', '2']);
    expect(await tasks([['TASK_STATUS', 'New'], ['TASK_STATUS', 'Pending']])).toEqual(['1', '5']);
  });

  it('every tag the guide lists as multi-valued may repeat; any other is a Duplicate Tag', async () => {
    const multi = new Set(['CREATEDBY', 'ASSIGNEDTO', 'STATUS', 'CATEGORY', 'PRIORITY', 'SEVERITY', 'PROJECT', 'TASK_STATUS', 'CALL_TYPE', 'MEDIA_TYPE']);
    for (const name of OBJECTS) {
      for (const field of CATALOGUE[name].fields) {
        if (field.actions.GET === undefined) continue;
        expect(field.multi === true, `${name} ${field.tag}`).toBe(multi.has(field.tag) && name !== 'FOLLOWUP');
      }
    }
    expectRejected(await send(emu.url, 'CUSTOMER', 'GET', [['FIRSTNAME', 'Ada'], ['FIRSTNAME', 'Alan']]), 11, "Duplicate Tag 'FIRSTNAME'");
    expectRejected(await send(emu.url, 'CASE', 'GET', [['FROMDATE', '01012024'], ['FROMDATE', '01022024']]), 11, "Duplicate Tag 'FROMDATE'");
    expectRejected(await send(emu.url, 'CASE', 'GET', [['SUBJECT', '%a%'], ['SUBJECT', '%b%']]), 11, "Duplicate Tag 'SUBJECT'");
  });
});

describe('wildcards', () => {
  /** README, "Protocol notes": the tags that accept substrings. */
  const WILDCARD: Record<string, readonly string[]> = {
    CUSTOMER: ['FIRSTNAME', 'LASTNAME', 'EMAIL', 'COMPANY', 'ACCOUNTNUM'],
    CASE: ['LASTNAME', 'SUBJECT', 'COMPANY'],
    TASK: ['SUBJECT', 'PHONE', 'EMAIL', 'CAMPAIGNNAME', 'TRANSID'],
    FOLLOWUP: ['CASENUM'],
    FAQ: ['STRING'],
    FAQCATEGORY: [],
  };

  it('% is accepted on exactly the tags the Protocol notes list; elsewhere "Regular expression not allowed"', async () => {
    for (const name of OBJECTS) {
      const tags = [
        ...CATALOGUE[name].fields.filter((f) => f.actions.GET !== undefined).map((f) => f.tag),
        ...((SAMPLE_CUSTOM as Record<string, string[]>)[name] ?? []),
      ];
      for (const tag of tags) {
        const extra: Tags = name === 'FOLLOWUP' && tag !== 'CASENUM' ? [['CASENUM', '1']] : [];
        const reply = await send(emu.url, name, 'GET', [...extra, [tag, '1%']]);
        if (WILDCARD[name]!.includes(tag)) expect(reply.status, `${name} ${tag}`).toBe('0');
        else expectRejected(reply, 4, `Regular expression not allowed for the alias '${tag}'`);
      }
    }
  });

  it('prefix, suffix, infix and % alone', async () => {
    expect(await customers([['LASTNAME', 'By%']])).toEqual(['10000010', '10000011']);
    expect(await customers([['LASTNAME', '%ron']])).toEqual(['10000010', '10000011']);
    expect(await customers([['LASTNAME', '%yr%']])).toEqual(['10000010', '10000011']);
    expect(await customers([['LASTNAME', '%']])).toHaveLength(5);
  });

  it('"_" and "\\" are literal characters, not wildcards; a literal % can only be matched by %', async () => {
    expect(await customers([['COMPANY', 'a_c']])).toEqual(['10000010']);
    expect(await customers([['COMPANY', 'a_%']])).toEqual(['10000010']);
    expect(await customers([['COMPANY', 'a\\c']])).toEqual(['10000011']);
    expect(await customers([['COMPANY', '%\\%']])).toEqual(['10000011']);
    expect(await customers([['COMPANY', 'A%C']])).toEqual(['10000019']);
  });

  it('an account number prefix finds every length of number that starts with it', async () => {
    expect(await customers([['ACCOUNTNUM', '1000001%']])).toEqual(['1000001', '10000010', '10000011', '10000019', '100000123']);
    expect(await customers([['ACCOUNTNUM', '100000%']])).toHaveLength(5);
    expect(await customers([['ACCOUNTNUM', '2%']])).toEqual([]);
    expect(await customers([['ACCOUNTNUM', '%9']])).toEqual(['10000019']);
  });
});

describe('values', () => {
  it('are case-sensitive, wildcards included', async () => {
    expect(await customers([['FIRSTNAME', 'ada']])).toEqual(['10000010']);
    expect(await customers([['FIRSTNAME', 'ADA']])).toEqual([]);
    expect(await customers([['FIRSTNAME', 'a%']])).toEqual(['10000010']);
    expect(await customers([['LEGACY_ID', 't-1']])).toEqual([]);
    expect(await customers([['LEGACY_ID', 'T-1']])).toEqual(['10000019']);
  });

  it('enumerations are read as the tenant spells them (the guide sends "default" for Default)', async () => {
    expect(await cases([['PRIORITY', 'high']])).toEqual(['1', '4', '5']);
  });

  it('a deactivated value is refused in a search; an empty value is refused', async () => {
    expectRejected(await send(emu.url, 'CASE', 'GET', [['STATUS', 'Escalated']]), 5, "The value 'Escalated' of the alias 'STATUS' is not valid");
    expectRejected(await send(emu.url, 'CUSTOMER', 'GET', [['FIRSTNAME', '']]), 5, "The value '' of the alias 'FIRSTNAME' is not valid");
  });

  it('a tag that is no GET tag of the object: read-only fields too', async () => {
    expectRejected(await send(emu.url, 'CUSTOMER', 'GET', [['CREATEDDATE', '01012024']]), 16, "The tag 'CREATEDDATE' is not a valid tag for the 'GET' on the 'CUSTOMER'");
    expectRejected(await send(emu.url, 'TASK', 'GET', [['CALLDURATION', '45']]), 16, "The tag 'CALLDURATION' is not a valid tag for the 'GET' on the 'TASK'");
  });
});

describe('date ranges', () => {
  it('FROM is inclusive, TO exclusive: a one-day window is FROM=day, TO=next day', async () => {
    expect(await customers([['FROMCREATEDATE', '01012024'], ['TOCREATEDATE', '01022024']])).toEqual(['1000001', '10000010']);
  });

  it('either alone', async () => {
    expect(await customers([['FROMCREATEDATE', '01022024']])).toEqual(['10000011', '100000123']);
    expect(await customers([['TOCREATEDATE', '01012024']])).toEqual(['10000019']);
  });

  it('an impossible date is a format error', async () => {
    expectRejected(await send(emu.url, 'CUSTOMER', 'GET', [['FROMCREATEDATE', '02302024']]), 14, "The value of the passed alias 'FROMCREATEDATE' is not in the correct format (mmddyyyy)");
    expectRejected(await send(emu.url, 'CUSTOMER', 'GET', [['TOCREATEDATE', '1012024']]), 14, "The value of the passed alias 'TOCREATEDATE' is not in the correct format (mmddyyyy)");
  });
});

describe('keywords and deleted agents', () => {
  it('Deleted Agents, Deleted Groups, None and Customers, in any case', async () => {
    expect(await cases([['ASSIGNEDTO', 'DELETED GROUPS']])).toEqual(['5']);
    expect(await cases([['ASSIGNEDTO', 'none']])).toEqual(['4']);
    expect(await cases([['CREATEDBY', 'customers']])).toEqual(['4']);
    expect(await cases([['CREATEDBY', 'deleted agents']])).toEqual(['3']);
    // Keywords mix with plain values in an OR.
    expect(await cases([['ASSIGNEDTO', 'None'], ['ASSIGNEDTO', 'jsmith']])).toEqual(['1', '4']);
  });

  it('cases created by deleted agents are left out unless CREATEDBY asks for them', async () => {
    expect(await cases([['ACCOUNTNUM', '10000011']])).toEqual(['4', '5']);
    expect(await cases([['ACCOUNTNUM', '10000011'], ['CREATEDBY', 'Deleted Agents'], ['CREATEDBY', 'jsmith']])).toEqual(['3', '5']);
    // A deleted agent's id is a valid CREATEDBY value too.
    expect(await cases([['CREATEDBY', 'oldagent']])).toEqual(['3']);
  });

  it('tasks created by or assigned to deleted agents are left out unless both tags ask', async () => {
    expect(await tasks([['ACCOUNTNUM', '10000010']])).toEqual(['1']);
    expect(await tasks([['ACCOUNTNUM', '10000010'], ['CREATEDBY', 'Deleted Agents']])).toEqual(['2']);
    expect(await tasks([['ACCOUNTNUM', '10000010'], ['ASSIGNEDTO', 'Deleted Agents']])).toEqual(['3']);
    expect(await tasks([['ACCOUNTNUM', '10000010'], ['CREATEDBY', 'Deleted Agents'], ['ASSIGNEDTO', 'Deleted Agents']])).toEqual(['4']);
    expect(await tasks([['ASSIGNEDTO', '101']])).toEqual(['5']);
  });

  it('the empty GET summary counts only what a GET can see', async () => {
    expect(replySummary(await ok(emu.url, 'TASK', 'GET'))).toEqual({ firstId: 1, lastId: 5, total: 2 });
    expect(replySummary(await ok(emu.url, 'CASE', 'GET'))).toEqual({ firstId: 1, lastId: 5, total: 4 });
    expect(replySummary(await ok(emu.url, 'CUSTOMER', 'GET'))).toEqual({ firstId: 1000001, lastId: 100000123, total: 5 });
  });
});

describe('max-items', () => {
  it('at most max-items ITEMs, the lowest ids first, no marker; the summary still counts them all', async () => {
    const small = await emulator({ maxItems: 3, fixtures: { customers: [5, 1, 4, 2, 3].map((n) => customer(10000000 + n, `F${n}`, 'Same')) } });
    try {
      const items = await get(small.url, 'CUSTOMER', [['LASTNAME', 'Same']]);
      expect(items.map((i) => i['ACCOUNTNUM'])).toEqual(['10000001', '10000002', '10000003']);
      expect(replySummary(await ok(small.url, 'CUSTOMER', 'GET'))).toEqual({ firstId: 10000001, lastId: 10000005, total: 5 });
      // The client narrows by id to read on.
      expect((await get(small.url, 'CUSTOMER', [['ACCOUNTNUM', '1000000%'], ['FIRSTNAME', 'F5']])).map((i) => i['ACCOUNTNUM'])).toEqual(['10000005']);
    } finally {
      await small.close();
    }
  });
});
