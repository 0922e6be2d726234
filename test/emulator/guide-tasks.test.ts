/**
 * The guide, chapter "Manipulate Task Objects": every example request sent over HTTP as written
 * (repairs noted next to each, the README's two among them), and the documented reply shape
 * checked. Most examples share the guide's login block; `standard()` writes it as the guide does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { replyId, replySummary } from '../../src/protocol/reply.js';
import { GUIDE_FIXTURES } from './guide-fixtures.js';
import { emulator, expectItemTags, expectOk, expectRejected, get, replyTags, SAMPLE_CUSTOM, sendGuide, standard, TIMESTAMP } from './helpers.js';

const TASK_TAGS = replyTags('TASK', SAMPLE_CUSTOM.TASK);

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await emulator({ fixtures: GUIDE_FIXTURES });
});
afterAll(() => emu.close());

async function tasknums(text: string): Promise<string[]> {
  const reply = await sendGuide(emu.url, text);
  expectOk(reply);
  if (reply.items.length > 0) expectItemTags(reply.items, TASK_TAGS);
  return reply.items.map((i) => i['TASKNUM'] as string);
}

const getTask = (inner: string) => standard(`<COMMAND OBJECT="Task" ACTION="GET">\n${inner}\n</COMMAND>`);

let added = '';

describe('Add Task', () => {
  it('adds the example task and answers <TASKNUM> directly under REPLY', async () => {
    // As written, MEDIA_TYPE and MEDIATYPE both included (one field, README "Protocol notes"), and the
    // custom fields CF01_PICKLIST.NAME and CF02.NAME, which the sample tenant defines on tasks.
    const reply = await sendGuide(
      emu.url,
      standard(`<COMMAND OBJECT="Task" ACTION="Add">
<ACCOUNTNUM>10000019</ACCOUNTNUM>
<CREATEDBY>jsmith</CREATEDBY>
<SUBJECT>Phone Appointment</SUBJECT>
<DESCRIPTION>Customer has asked to discuss his questions about the Promotional
campaign.</DESCRIPTION>
<TASK_STATUS>Pending</TASK_STATUS>
<ASSIGNEDTO>jsmith</ASSIGNEDTO>
<CALL_TYPE>DAA</CALL_TYPE>
<MEDIA_TYPE>Phone</MEDIA_TYPE>
<CAMPAIGNNAME>Promotional Campaign</CAMPAIGNNAME>
<CALLDURATION>360</CALLDURATION>
<TRANSID>1111111111</TRANSID>
<EMAIL>jsmith@AcmeJets.com</EMAIL>
<MEDIATYPE>Phone</MEDIATYPE>
<CF01_PICKLIST.NAME>value1</CF01_PICKLIST.NAME>
<CF02.NAME>value2</CF02.NAME>
</COMMAND>`),
    );
    expectOk(reply);
    expect(reply.items).toEqual([]);
    expect(Object.keys(reply.values)).toEqual(['TASKNUM']);
    added = replyId(reply, 'TASKNUM')!;
    expect(added).toBe('186');
    const [item] = await get(emu.url, 'TASK', [['TASKNUM', added]]);
    expect(item).toMatchObject({
      ACCOUNTNUM: '10000019',
      CREATEDBY: 'jsmith',
      SUBJECT: 'Phone Appointment',
      DESCRIPTION: 'Customer has asked to discuss his questions about the Promotional\ncampaign.',
      TASK_STATUS: 'Pending',
      ASSIGNEDTO: 'jsmith',
      CALL_TYPE: 'DAA',
      MEDIA_TYPE: 'Phone',
      CAMPAIGNNAME: 'Promotional Campaign',
      CALLDURATION: '360',
      TRANSID: '1111111111',
      EMAIL: 'jsmith@AcmeJets.com',
      REMINDER: 'N',
      DUEDATE: '',
      PHONE: '',
      'CF01_PICKLIST.NAME': 'value1',
      'CF02.NAME': 'value2',
    });
    expect(item!['CREATEDDATE']).toMatch(TIMESTAMP);
    expect(item!['LASTMODDATE']).toBe(item!['CREATEDDATE']);
  });
});

describe('Modify Task', () => {
  const example = (object: string) =>
    standard(`<COMMAND OBJECT="${object}" ACTION="Modify">
<TASKNUM>100</TASKNUM>
<SUBJECT>Phone call completed</SUBJECT>
<DESCRIPTION>Walk through on the promotional campaign options completed with the
customer.</DESCRIPTION>
<TASK_STATUS>Closed</TASK_STATUS>
<ASSIGNEDTO>jsmith</ASSIGNEDTO>
<CF01_PICKLIST.NAME>value3</CF01_PICKLIST.NAME>
<CF02.NAME>value4</CF02.NAME>
</COMMAND>`);

  it('as printed (OBJECT="Case") it is a case command, and TASKNUM is no case tag', async () => {
    // Repaired in both: the example ends "<WAPI>'" for "</WAPI>'".
    expectRejected(await sendGuide(emu.url, example('Case')), 16, "The tag 'TASKNUM' is not a valid tag for the 'MODIFY' on the 'CASE'");
  });

  it('with OBJECT="Task" (README, "Protocol notes") it modifies task 100 and answers its TASKNUM', async () => {
    const reply = await sendGuide(emu.url, example('Task'));
    expectOk(reply);
    expect(reply.values).toEqual({ TASKNUM: '100' });
    const [item] = await get(emu.url, 'TASK', [['TASKNUM', '100']]);
    expect(item).toMatchObject({ SUBJECT: 'Phone call completed', TASK_STATUS: 'Closed', ASSIGNEDTO: 'jsmith', 'CF01_PICKLIST.NAME': 'value3', 'CF02.NAME': 'value4', TASK_TEXT: 'random text', CALL_TYPE: 'Outbound' });
    expect(item!['LASTMODDATE']).not.toBe('06222012 09:00:00');
  });
});

describe('Get Task', () => {
  it('TASKNUM 100: one ITEM with every field, custom fields last', async () => {
    expect(await tasknums(getTask(`<TASKNUM>100</TASKNUM>`))).toEqual(['100']);
  });

  it('the guide\'s reply example (task 183): its fields and values, DUEDATE and dates as MMDDYYYY[ HH:MM:SS]', async () => {
    const [item] = await get(emu.url, 'TASK', [['TASKNUM', '183']]);
    expect(item).toMatchObject({
      TASKNUM: '183',
      SUBJECT: 'Follow-up with customer on pricing',
      DESCRIPTION: 'Description for task',
      REMINDER: 'N',
      PHONE: '',
      EMAIL: 'angel@8x8.com',
      TRANSID: '',
      CALLDURATION: '45',
      CAMPAIGNNAME: '',
      TASK_DATE: '04062012',
      TASK_PICKLIST: 'three',
      TASK_STATUS: 'New',
      MEDIA_TYPE: 'Email',
      CALL_TYPE: '',
      ACCOUNTNUM: '10000001',
      ASSIGNEDTO: 'pma',
      CREATEDBY: 'pma',
      LASTMODDATE: '06212012 18:04:02',
    });
    const [due] = await get(emu.url, 'TASK', [['TASKNUM', '100']]);
    expect(due!['DUEDATE']).toBe('06052012 13:15:00');
  });

  it('TASK_STATUS Closed', async () => {
    expect(await tasknums(getTask(`<TASK_STATUS>Closed</TASK_STATUS>`))).toEqual(['100', '185']);
  });

  it('FROMDUEDATE 060120120000 to TODUEDATE 061520120000 (date-times; dates alone work too)', async () => {
    expect(await tasknums(getTask(`<FROMDUEDATE>060120120000</FROMDUEDATE>\n<TODUEDATE>061520120000</TODUEDATE>`))).toEqual(['100']);
    expect(await tasknums(getTask(`<FROMDUEDATE>06052012</FROMDUEDATE>\n<TODUEDATE>06062012</TODUEDATE>`))).toEqual(['100']);
    // TO is exclusive: due 13:15, a window that ends at 13:15 misses it.
    expect(await tasknums(getTask(`<FROMDUEDATE>060520120000</FROMDUEDATE>\n<TODUEDATE>060520121315</TODUEDATE>`))).toEqual([]);
    expect(await tasknums(getTask(`<FROMDUEDATE>060520121315</FROMDUEDATE>`))).toEqual(['100']);
  });

  it('ASSIGNEDTO jdoe; CREATEDBY jdoe', async () => {
    expect(await tasknums(getTask(`<ASSIGNEDTO>jdoe</ASSIGNEDTO>`))).toEqual(['185']);
    expect(await tasknums(getTask(`<CREATEDBY>jdoe</CREATEDBY>`))).toEqual(['185']);
  });

  it('SUBJECT %promotional% (substring), then SUBJECT promotional campaign 10 (exact match)', async () => {
    expect(await tasknums(getTask(`<SUBJECT>%promotional%</SUBJECT>`))).toEqual(['185']);
    expect(await tasknums(getTask(`<SUBJECT>promotional campaign 10</SUBJECT>`))).toEqual(['185']);
    expect(await tasknums(getTask(`<SUBJECT>promotional</SUBJECT>`))).toEqual([]);
  });

  it('last modified between 06202012 and 06252012; FROM alone is "after", TO alone "before"', async () => {
    expect(await tasknums(getTask(`<FROMLASTMODDATE>06202012</FROMLASTMODDATE>\n<TOLASTMODDATE>06252012</TOLASTMODDATE>`))).toEqual(['183']);
    expect(await tasknums(getTask(`<TOLASTMODDATE>06252012</TOLASTMODDATE>`))).toEqual(['183']);
    expect(await tasknums(getTask(`<FROMLASTMODDATE>06202012</FROMLASTMODDATE>`))).toEqual(['100', '183', '185', added]);
  });

  it('CAMPAIGNNAME %Promotional campaign for Holidays%', async () => {
    expect(await tasknums(getTask(`<CAMPAIGNNAME>%Promotional campaign for Holidays%</CAMPAIGNNAME>`))).toEqual(['100']);
  });

  it('PHONE, EMAIL, TRANSID, CALL_TYPE', async () => {
    expect(await tasknums(getTask(`<PHONE>1-555-292-8608</PHONE>`))).toEqual(['100']);
    expect(await tasknums(getTask(`<EMAIL>sirben.kingsley@stars.com</EMAIL>`))).toEqual(['100']);
    expect(await tasknums(getTask(`<TRANSID>12345</TRANSID>`))).toEqual(['100']);
    expect(await tasknums(getTask(`<CALL_TYPE>Outbound</CALL_TYPE>`))).toEqual(['100']);
  });

  it('MEDIA_TYPE Outbound, as printed, is no media type; MEDIA_TYPE Phone is', async () => {
    // The guide's example searches MEDIA_TYPE for "Outbound", a call type: the value must be one
    // of the tenant's media types, so the emulator refuses it as 8x8 would.
    expectRejected(await sendGuide(emu.url, getTask(`<MEDIA_TYPE>Outbound</MEDIA_TYPE>`)), 5, "The value 'Outbound' of the alias 'MEDIA_TYPE' is not valid");
    expect(await tasknums(getTask(`<MEDIA_TYPE>Phone</MEDIA_TYPE>`))).toEqual(['100', added]);
  });

  it('no tags: FIRSTID/LASTID/TOTAL over the tasks neither created by nor assigned to deleted agents', async () => {
    const reply = await sendGuide(emu.url, getTask(''));
    expectOk(reply);
    expect(Object.keys(reply.items[0]!)).toEqual(['FIRSTID', 'LASTID', 'TOTAL']);
    expect(replySummary(reply)).toEqual({ firstId: 100, lastId: Number(added), total: 4 });
  });

  it('custom fields TASK_PICKLIST two, TASK_TEXT random text, TASK_DATE 06222012', async () => {
    expect(await tasknums(getTask(`<TASK_PICKLIST>two</TASK_PICKLIST>`))).toEqual(['100']);
    expect(await tasknums(getTask(`<TASK_TEXT>random text</TASK_TEXT>`))).toEqual(['100']);
    expect(await tasknums(getTask(`<TASK_DATE>06222012</TASK_DATE>`))).toEqual(['100']);
  });

  it('CREATEDBY and ASSIGNEDTO Deleted Agents: the task a plain search leaves out', async () => {
    expect(await tasknums(getTask(`<CREATEDBY>Deleted Agents</CREATEDBY>\n<ASSIGNEDTO>Deleted Agents</ASSIGNEDTO>`))).toEqual(['184']);
    // Either tag alone still hides it by the other ("you must use both tags").
    expect(await tasknums(getTask(`<CREATEDBY>Deleted Agents</CREATEDBY>`))).toEqual([]);
    expect(await tasknums(getTask(`<ASSIGNEDTO>deleted agents</ASSIGNEDTO>`))).toEqual([]);
  });

  it('ACCOUNTNUM 10000019', async () => {
    // Repaired: <PASSWORD> and <ACCOUNTNUM> closing tags get their "/"; </COMMAND> is added.
    const found = await tasknums(`‘<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT=”TASK” ACTION=”GET”>
<ACCOUNTNUM>10000019</ACCOUNTNUM>
</COMMAND>
</WAPI>’`);
    expect(found).toEqual(['100', added]);
  });
});

describe('Delete Task', () => {
  const example = (tag: string) => `‘<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT=”TASK” ACTION=”DELETE”>
<${tag}>183</${tag}>
</COMMAND>
</WAPI>’`;

  it('as printed (<TASK>), the tag is not a task tag', async () => {
    // Repaired in both: <PASSWORD> and <TASK> closing tags get their "/"; </COMMAND> is added.
    expectRejected(await sendGuide(emu.url, example('TASK')), 16, "The tag 'TASK' is not a valid tag for the 'DELETE' on the 'TASK'");
  });

  it('with <TASKNUM> (README, "Protocol notes") it deletes task 183 and answers an empty REPLY', async () => {
    const reply = await sendGuide(emu.url, example('TASKNUM'));
    expectOk(reply);
    expect(reply.items).toEqual([]);
    expect(reply.values).toEqual({});
    expect(await get(emu.url, 'TASK', [['TASKNUM', '183']])).toEqual([]);
  });
});
