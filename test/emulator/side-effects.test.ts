/**
 * What commands do besides their reply: cascading deletes, the automatic follow-up of a case
 * modify, the dates and agents the server sets, id sequences, and atomicity.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_CONFIG, type RunningEmulator } from '../../src/emulator/index.js';
import type { Credentials } from '../../src/protocol/request.js';
import { replyId } from '../../src/protocol/reply.js';
import { add, caseTags, customerTags, emulator, expectRejected, get, manualClock, ok, send, type Tags } from './helpers.js';

/** An API user whose identity agent (bobp) is not its user name. */
const API: Credentials = { tenant: 'AcmeJets', username: 'api', password: 'api123' };

let dir: string;
let tenantFile: string;
const clock = manualClock('2024-03-01T09:00:00Z');
let emu: RunningEmulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wapi-effects-'));
  tenantFile = join(dir, 'tenant.yaml');
  const tenant = readFileSync(DEFAULT_TENANT_CONFIG, 'utf8').replace('users:\n', 'users:\n  - { username: api, password: api123, identity: bobp, rights: all }\n');
  expect(tenant).toContain('username: api');
  writeFileSync(tenantFile, tenant);
  emu = await emulator({ tenantConfig: tenantFile, now: clock.now });
});

afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

const as = (object: string, action: string, tags: Tags) => send(emu.url, object, action, tags, API);
async function addAs(object: string, tags: Tags, idTag: string): Promise<string> {
  const reply = await as(object, 'ADD', tags);
  expect(reply.errorStr).toBe('');
  return replyId(reply, idTag)!;
}

describe('cascading deletes', () => {
  it('a customer takes its cases, their follow-ups (automatic ones too) and its tasks with it; nothing else', async () => {
    const gone = await add(emu.url, 'CUSTOMER', customerTags());
    const kept = await add(emu.url, 'CUSTOMER', customerTags());
    const goneCase = await add(emu.url, 'CASE', caseTags(gone));
    const keptCase = await add(emu.url, 'CASE', caseTags(kept));
    await add(emu.url, 'FOLLOWUP', [['CASENUM', goneCase], ['SUBJECT', 's'], ['DESCRIPTION', 'd']]);
    await ok(emu.url, 'CASE', 'MODIFY', [['CASENUM', goneCase], ['PRIORITY', 'High']]);
    await add(emu.url, 'FOLLOWUP', [['CASENUM', keptCase], ['SUBJECT', 's'], ['DESCRIPTION', 'd']]);
    const goneTask = await add(emu.url, 'TASK', [['ACCOUNTNUM', gone]]);
    const keptTask = await add(emu.url, 'TASK', [['ACCOUNTNUM', kept]]);
    expect(await get(emu.url, 'FOLLOWUP', [['CASENUM', goneCase]])).toHaveLength(2);

    await ok(emu.url, 'CUSTOMER', 'DELETE', [['ACCOUNTNUM', gone]]);
    expect(await get(emu.url, 'CASE', [['ACCOUNTNUM', gone]])).toEqual([]);
    expect(await get(emu.url, 'FOLLOWUP', [['CASENUM', goneCase]])).toEqual([]);
    expect(await get(emu.url, 'TASK', [['TASKNUM', goneTask]])).toEqual([]);
    expect(await get(emu.url, 'CASE', [['CASENUM', keptCase]])).toHaveLength(1);
    expect(await get(emu.url, 'FOLLOWUP', [['CASENUM', keptCase]])).toHaveLength(1);
    expect(await get(emu.url, 'TASK', [['TASKNUM', keptTask]])).toHaveLength(1);
    // And the ids are gone for good: the delete of a deleted record is refused.
    expectRejected(await send(emu.url, 'CUSTOMER', 'DELETE', [['ACCOUNTNUM', gone]]), 5, `The value '${gone}' of the alias 'ACCOUNTNUM' is not valid`);
    expectRejected(await send(emu.url, 'CASE', 'MODIFY', [['CASENUM', goneCase], ['SUBJECT', 'x']]), 5, `The passed caseid '${goneCase}' is not valid`);
  });

  it('a case takes its follow-ups with it, not its customer', async () => {
    const account = await add(emu.url, 'CUSTOMER', customerTags());
    const casenum = await add(emu.url, 'CASE', caseTags(account));
    await add(emu.url, 'FOLLOWUP', [['CASENUM', casenum], ['SUBJECT', 's'], ['DESCRIPTION', 'd']]);
    await ok(emu.url, 'CASE', 'DELETE', [['CASENUM', casenum]]);
    expect(await get(emu.url, 'FOLLOWUP', [['CASENUM', casenum]])).toEqual([]);
    expect(await get(emu.url, 'CUSTOMER', [['ACCOUNTNUM', account]])).toHaveLength(1);
  });

  it('an FAQ category with FAQs cannot be deleted; once they are gone it can', async () => {
    const cat = await add(emu.url, 'FAQCATEGORY', [['FAQCATEGORY', 'Billing']]);
    const faq = await add(emu.url, 'FAQ', [['FAQCATID', cat], ['QUESTION', 'q?'], ['ANSWER', 'a.']]);
    expectRejected(await send(emu.url, 'FAQCATEGORY', 'DELETE', [['FAQCATID', cat]]), 17, 'FAQ Category cannot be deleted when FAQ exists for the given category');
    await ok(emu.url, 'FAQ', 'DELETE', [['FAQID', faq]]);
    await ok(emu.url, 'FAQCATEGORY', 'DELETE', [['FAQCATID', cat]]);
    expect(await get(emu.url, 'FAQCATEGORY', [['FAQCATID', cat]])).toEqual([]);
  });
});

describe('dates and agents the server sets', () => {
  it('customer: CREATEDDATE and LASTMODDATE; a MODIFY that changes nothing leaves LASTMODDATE alone', async () => {
    clock.set('2024-03-01T09:00:00Z');
    const id = await add(emu.url, 'CUSTOMER', customerTags([['EMAIL', 'dates@example.com']]));
    clock.set('2024-03-02T10:30:00Z');
    await ok(emu.url, 'CUSTOMER', 'MODIFY', [['ACCOUNTNUM', id], ['COMPANY', 'Acme']]);
    clock.set('2024-03-03T11:00:00Z');
    await ok(emu.url, 'CUSTOMER', 'MODIFY', [['ACCOUNTNUM', id], ['COMPANY', 'Acme'], ['EMAIL', 'dates@example.com']]);
    const [item] = await get(emu.url, 'CUSTOMER', [['ACCOUNTNUM', id]]);
    expect(item).toMatchObject({ CREATEDDATE: '03012024 09:00:00', LASTMODDATE: '03022024 10:30:00', COMPANY: 'Acme' });
  });

  it('case: CREATEDBY is the API user\'s identity agent; ASSIGNEDDATE, CLOSEDBY, CLOSEDDATE, LASTACTDATE follow the case', async () => {
    clock.set('2024-04-01T08:00:00Z');
    const account = await addAs('CUSTOMER', customerTags(), 'ACCOUNTNUM');
    const casenum = await addAs('CASE', caseTags(account, [['STATUS', 'Open'], ['ASSIGNEDTO', 'jsmith']]), 'CASENUM');
    const read = async () => (await get(emu.url, 'CASE', [['CASENUM', casenum]]))[0]!;
    expect(await read()).toMatchObject({
      CREATEDBY: 'bobp',
      CREATEDDATE: '04012024 08:00:00',
      LASTMODDATE: '04012024 08:00:00',
      LASTACTDATE: '04012024 08:00:00',
      ASSIGNEDTO: 'jsmith',
      ASSIGNEDDATE: '04012024 08:00:00',
      CLOSEDBY: '',
      CLOSEDDATE: '',
    });

    clock.set('2024-04-02T08:00:00Z');
    await as('CASE', 'MODIFY', [['CASENUM', casenum], ['STATUS', 'Pending'], ['ASSIGNEDTO', 'jsmith']]);
    // Same assignee: ASSIGNEDDATE stays.
    expect(await read()).toMatchObject({ STATUS: 'Pending', ASSIGNEDDATE: '04012024 08:00:00', LASTMODDATE: '04022024 08:00:00' });

    clock.set('2024-04-03T08:00:00Z');
    await as('CASE', 'MODIFY', [['CASENUM', casenum], ['STATUS', 'Open'], ['ASSIGNEDTO', 'rshasta']]);
    expect(await read()).toMatchObject({ ASSIGNEDTO: 'rshasta', ASSIGNEDDATE: '04032024 08:00:00' });

    clock.set('2024-04-04T08:00:00Z');
    await as('CASE', 'MODIFY', [['CASENUM', casenum], ['STATUS', 'Closed']]);
    expect(await read()).toMatchObject({ STATUS: 'Closed', CLOSEDBY: 'bobp', CLOSEDDATE: '04042024 08:00:00', ASSIGNEDTO: 'rshasta' });

    clock.set('2024-04-05T08:00:00Z');
    await ok(emu.url, 'CASE', 'MODIFY', [['CASENUM', casenum], ['STATUS', 'Open']]);
    expect(await read()).toMatchObject({ STATUS: 'Open', CLOSEDBY: '', CLOSEDDATE: '', LASTACTDATE: '04052024 08:00:00' });

    // Unassigning: an empty ASSIGNEDTO with an unassigned status.
    clock.set('2024-04-06T08:00:00Z');
    await ok(emu.url, 'CASE', 'MODIFY', [['CASENUM', casenum], ['STATUS', 'Unassigned'], ['ASSIGNEDTO', '']]);
    expect(await read()).toMatchObject({ STATUS: 'Unassigned', ASSIGNEDTO: '', ASSIGNEDDATE: '' });

    // A MODIFY that changes nothing: no new LASTMODDATE, no follow-up.
    const followups = (await get(emu.url, 'FOLLOWUP', [['CASENUM', casenum]])).length;
    clock.set('2024-04-07T08:00:00Z');
    await ok(emu.url, 'CASE', 'MODIFY', [['CASENUM', casenum], ['STATUS', 'Unassigned'], ['SUBJECT', 'Printer']]);
    expect(await read()).toMatchObject({ LASTMODDATE: '04062024 08:00:00' });
    expect(await get(emu.url, 'FOLLOWUP', [['CASENUM', casenum]])).toHaveLength(followups);
  });

  it('a case added closed is closed by the API user\'s identity', async () => {
    clock.set('2024-05-01T08:00:00Z');
    const account = await add(emu.url, 'CUSTOMER', customerTags());
    const casenum = await addAs('CASE', caseTags(account, [['STATUS', 'Closed']]), 'CASENUM');
    const [item] = await get(emu.url, 'CASE', [['CASENUM', casenum]]);
    expect(item).toMatchObject({ STATUS: 'Closed', CLOSEDBY: 'bobp', CLOSEDDATE: '05012024 08:00:00', ASSIGNEDTO: '' });
  });

  it('the automatic follow-up of a case modify: who, when, the case\'s classification, and what changed', async () => {
    clock.set('2024-06-01T08:00:00Z');
    const account = await add(emu.url, 'CUSTOMER', customerTags());
    const casenum = await add(emu.url, 'CASE', caseTags(account, [['CF02.NAME', 'before']]));
    clock.set('2024-06-02T09:15:00Z');
    await as('CASE', 'MODIFY', [['CASENUM', casenum], ['STATUS', 'Open'], ['ASSIGNEDTO', 'jdoe'], ['SEVERITY', 'Major'], ['CF02.NAME', 'after']]);
    const [auto] = await get(emu.url, 'FOLLOWUP', [['CASENUM', casenum]]);
    expect(auto).toMatchObject({
      FOLLOWUPNUM: '1',
      SUBJECT: 'Case modified',
      CREATEDBY: 'bobp',
      CREATEDDATE: '06022024 09:15:00',
      STATUS: 'Open',
      SEVERITY: 'Major',
      ASSIGNEDTO: 'jdoe',
      PRIORITY: 'Medium',
    });
    expect(auto!['DESCRIPTION']!.split('\n')).toEqual([
      'Case modified through the CRM API:',
      // In the order the fields were sent.
      'STATUS: Unassigned -> Open',
      'ASSIGNEDTO:  -> jdoe',
      'SEVERITY: Information -> Major',
      'CF02.NAME: before -> after',
    ]);
    const [item] = await get(emu.url, 'CASE', [['CASENUM', casenum]]);
    expect(item).toMatchObject({ LASTACTDATE: '06022024 09:15:00', 'CF02.NAME': 'after' });
  });

  it('a follow-up added by hand: CREATEDBY the identity, the case\'s classification unless it sends its own, and the case\'s LASTACTDATE', async () => {
    clock.set('2024-07-01T08:00:00Z');
    const account = await add(emu.url, 'CUSTOMER', customerTags());
    const casenum = await add(emu.url, 'CASE', caseTags(account, [['PRIORITY', 'Low'], ['CATEGORY', 'Gold']]));
    clock.set('2024-07-02T08:00:00Z');
    await addAs('FOLLOWUP', [['CASENUM', casenum], ['SUBJECT', 's'], ['DESCRIPTION', 'd'], ['CATEGORY', 'Platinum']], 'FOLLOWUPNUM');
    const [followup] = await get(emu.url, 'FOLLOWUP', [['CASENUM', casenum]]);
    expect(followup).toMatchObject({ CREATEDBY: 'bobp', PRIORITY: 'Low', CATEGORY: 'Platinum', STATUS: 'Unassigned', ATTACHMENTS: '0', CREATEDDATE: '07022024 08:00:00' });
    const [item] = await get(emu.url, 'CASE', [['CASENUM', casenum]]);
    expect(item).toMatchObject({ LASTACTDATE: '07022024 08:00:00', LASTMODDATE: '07012024 08:00:00', CATEGORY: 'Gold' });
  });

  it('task: ASSIGNEDTO and CREATEDBY default to the identity; LASTMODDATE moves only when something changes', async () => {
    clock.set('2024-08-01T08:00:00Z');
    const account = await add(emu.url, 'CUSTOMER', customerTags());
    const tasknum = await addAs('TASK', [['ACCOUNTNUM', account], ['SUBJECT', 'Call back']], 'TASKNUM');
    const read = async () => (await get(emu.url, 'TASK', [['TASKNUM', tasknum]]))[0]!;
    expect(await read()).toMatchObject({ ASSIGNEDTO: 'bobp', CREATEDBY: 'bobp', TASK_STATUS: 'New', REMINDER: 'N', CREATEDDATE: '08012024 08:00:00', LASTMODDATE: '08012024 08:00:00' });
    clock.set('2024-08-02T08:00:00Z');
    await ok(emu.url, 'TASK', 'MODIFY', [['TASKNUM', tasknum], ['SUBJECT', 'Call back'], ['TASK_STATUS', 'New']]);
    expect((await read())['LASTMODDATE']).toBe('08012024 08:00:00');
    await ok(emu.url, 'TASK', 'MODIFY', [['TASKNUM', tasknum], ['DUEDATE', '080520241430'], ['REMINDER', 'Y']]);
    expect(await read()).toMatchObject({ LASTMODDATE: '08022024 08:00:00', DUEDATE: '08052024 14:30:00', REMINDER: 'Y' });
    // REMINDER on a task that has a due date needs no DUEDATE in the same MODIFY.
    await ok(emu.url, 'TASK', 'MODIFY', [['TASKNUM', tasknum], ['REMINDER', 'N']]);
  });
});

describe('id sequences', () => {
  it('ids are never handed out again after a DELETE, for any object', async () => {
    const pairs: Array<[string, Tags, string, (id: string) => Tags]> = [
      ['CUSTOMER', customerTags(), 'ACCOUNTNUM', (id) => [['ACCOUNTNUM', id]]],
      ['FAQCATEGORY', [['FAQCATEGORY', 'Seq']], 'FAQCATID', (id) => [['FAQCATID', id]]],
    ];
    for (const [object, tags, idTag, del] of pairs) {
      const first = await add(emu.url, object, tags);
      await ok(emu.url, object, 'DELETE', del(first));
      const second = await add(emu.url, object, tags);
      expect(Number(second), `${object} ${idTag}`).toBe(Number(first) + 1);
    }
    const account = await add(emu.url, 'CUSTOMER', customerTags());
    const c1 = await add(emu.url, 'CASE', caseTags(account));
    await ok(emu.url, 'CASE', 'DELETE', [['CASENUM', c1]]);
    expect(Number(await add(emu.url, 'CASE', caseTags(account)))).toBe(Number(c1) + 1);
    const t1 = await add(emu.url, 'TASK', [['ACCOUNTNUM', account]]);
    await ok(emu.url, 'TASK', 'DELETE', [['TASKNUM', t1]]);
    expect(Number(await add(emu.url, 'TASK', [['ACCOUNTNUM', account]]))).toBe(Number(t1) + 1);
    const cat = await add(emu.url, 'FAQCATEGORY', [['FAQCATEGORY', 'Seq2']]);
    const f1 = await add(emu.url, 'FAQ', [['FAQCATID', cat], ['QUESTION', 'q'], ['ANSWER', 'a']]);
    await ok(emu.url, 'FAQ', 'DELETE', [['FAQID', f1]]);
    expect(Number(await add(emu.url, 'FAQ', [['FAQCATID', cat], ['QUESTION', 'q'], ['ANSWER', 'a']]))).toBe(Number(f1) + 1);
  });

  it('account numbers start at 10000000, case, task, FAQ and category numbers at 1', async () => {
    const fresh = await emulator();
    try {
      const account = await add(fresh.url, 'CUSTOMER', customerTags());
      expect(account).toBe('10000000');
      expect(await add(fresh.url, 'CASE', caseTags(account))).toBe('1');
      expect(await add(fresh.url, 'TASK', [['ACCOUNTNUM', account]])).toBe('1');
      expect(await add(fresh.url, 'FAQCATEGORY', [['FAQCATEGORY', 'x']])).toBe('1');
      expect(await add(fresh.url, 'FAQ', [['FAQCATID', '1'], ['QUESTION', 'q'], ['ANSWER', 'a']])).toBe('1');
      expect(await add(fresh.url, 'FOLLOWUP', [['CASENUM', '1'], ['SUBJECT', 's'], ['DESCRIPTION', 'd']])).toBe('1');
    } finally {
      await fresh.close();
    }
  });
});

describe('atomicity', () => {
  it('a rejected command leaves nothing behind: no record, no id taken, no follow-up', async () => {
    const fresh = await emulator();
    try {
      const account = await add(fresh.url, 'CUSTOMER', customerTags([['EMAIL', 'taken@example.com']]));
      const casenum = await add(fresh.url, 'CASE', caseTags(account));
      const rejected: Array<[string, string, Tags]> = [
        ['CUSTOMER', 'ADD', customerTags([['EMAIL', 'TAKEN@example.com']])],
        ['CUSTOMER', 'ADD', customerTags([['CF01_PICKLIST.NAME', 'value0']])],
        ['CASE', 'ADD', caseTags(account, [['STATUS', 'Open']])],
        ['CASE', 'MODIFY', [['CASENUM', casenum], ['SUBJECT', 'changed'], ['STATUS', 'Open']]],
        ['CASE', 'MODIFY', [['CASENUM', casenum], ['SUBJECT', 'changed'], ['PRIORITY', 'Urgent']]],
        ['TASK', 'ADD', [['ACCOUNTNUM', account], ['REMINDER', 'Y']]],
        ['FOLLOWUP', 'ADD', [['CASENUM', casenum], ['SUBJECT', 's']]],
        ['CUSTOMER', 'DELETE', [['ACCOUNTNUM', account], ['FIRSTNAME', 'x']]],
      ];
      for (const [object, action, tags] of rejected) expect((await send(fresh.url, object, action, tags)).status, `${object} ${action}`).toBe('-1');
      expect(await get(fresh.url, 'CUSTOMER', [['ACCOUNTNUM', '%']])).toHaveLength(1);
      expect(await get(fresh.url, 'CASE', [['CASENUM', casenum]])).toMatchObject([{ SUBJECT: 'Printer', STATUS: 'Unassigned' }]);
      expect(await get(fresh.url, 'FOLLOWUP', [['CASENUM', casenum]])).toEqual([]);
      expect(await add(fresh.url, 'CUSTOMER', customerTags())).toBe('10000001');
      expect(await add(fresh.url, 'CASE', caseTags(account))).toBe('2');
      expect(await add(fresh.url, 'TASK', [['ACCOUNTNUM', account]])).toBe('1');
    } finally {
      await fresh.close();
    }
  });

  it('a command that fails half way through is rolled back whole (the case modify, when its follow-up cannot be written)', async () => {
    const file = join(dir, 'atomic.db');
    const fresh = await emulator({ db: file });
    try {
      const account = await add(fresh.url, 'CUSTOMER', customerTags());
      const casenum = await add(fresh.url, 'CASE', caseTags(account));
      // Break the follow-up table under the running server: the case update succeeds, the
      // automatic follow-up insert then fails, and the whole command must be undone.
      const db = new Database(file);
      db.exec('DROP TABLE followup; CREATE TABLE followup (id INTEGER PRIMARY KEY)');
      db.close();
      expectRejected(await send(fresh.url, 'CASE', 'MODIFY', [['CASENUM', casenum], ['SUBJECT', 'changed']]), 99, 'Internal Error');
      expect(await get(fresh.url, 'CASE', [['CASENUM', casenum]])).toMatchObject([{ SUBJECT: 'Printer' }]);
    } finally {
      await fresh.close();
    }
  });
});

describe('persistence', () => {
  it('a database file keeps records and every sequence across a restart, follow-up numbers within a case included', async () => {
    const file = join(dir, 'restart.db');
    const first = await emulator({ db: file });
    const account = await add(first.url, 'CUSTOMER', customerTags([['COMPANY', 'Kept']]));
    const casenum = await add(first.url, 'CASE', caseTags(account));
    await add(first.url, 'FOLLOWUP', [['CASENUM', casenum], ['SUBJECT', 's'], ['DESCRIPTION', 'd']]);
    const two = await add(first.url, 'FOLLOWUP', [['CASENUM', casenum], ['SUBJECT', 's'], ['DESCRIPTION', 'd']]);
    await ok(first.url, 'FOLLOWUP', 'DELETE', [['CASENUM', casenum], ['FOLLOWUPNUM', two]]);
    await first.close();

    const second = await emulator({ db: file });
    try {
      expect(await get(second.url, 'CUSTOMER', [['COMPANY', 'Kept']])).toMatchObject([{ ACCOUNTNUM: account }]);
      expect(await get(second.url, 'FOLLOWUP', [['CASENUM', casenum]])).toMatchObject([{ FOLLOWUPNUM: '1' }]);
      expect(await add(second.url, 'FOLLOWUP', [['CASENUM', casenum], ['SUBJECT', 's'], ['DESCRIPTION', 'd']])).toBe('3');
      expect(await add(second.url, 'CUSTOMER', customerTags())).toBe(String(Number(account) + 1));
      expect(await add(second.url, 'CASE', caseTags(account))).toBe(String(Number(casenum) + 1));
    } finally {
      await second.close();
    }
  });

  it('a database written by another version of the emulator is refused, not misread', async () => {
    const file = join(dir, 'old.db');
    await (await emulator({ db: file })).close();
    const db = new Database(file);
    db.pragma('user_version = 1');
    db.close();
    await expect(emulator({ db: file })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: `${file} was written by another version of the emulator (schema 1, this one reads 3)`,
    });
  });
});
