/**
 * The guide, chapter "Manipulate Follow-Up Objects": every example request sent over HTTP as
 * written (repairs noted next to each), and the documented reply shape checked.
 *
 * The guide's GET reply shows a follow-up with FOLLOWUPNUM 3 and FOLLOWUPID 5, and its DELETE
 * names a follow-up by CASENUM and FOLLOWUPNUM together: the emulator numbers follow-ups within
 * their case (FOLLOWUPNUM) and across the tenant (FOLLOWUPID).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { replyId } from '../../src/protocol/reply.js';
import { GUIDE_FIXTURES } from './guide-fixtures.js';
import { emulator, expectItemTags, expectOk, expectRejected, get, replyTags, send, sendGuide, TIMESTAMP } from './helpers.js';

const FOLLOWUP_TAGS = replyTags('FOLLOWUP');

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await emulator({ fixtures: GUIDE_FIXTURES });
});
afterAll(() => emu.close());

describe('Add Follow-Up', () => {
  it('adds the example follow-up to case 35 and answers <FOLLOWUPNUM> directly under REPLY', async () => {
    // Repaired: the example logs in as wapi/wapi1, which the sample tenant does not have.
    // Mixed-case tags (<Description>, <Project>) as written.
    const reply = await sendGuide(
      emu.url,
      `'<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT="Followup" ACTION="Add">
<CASENUM>35</CASENUM>
<SUBJECT>New Order placed</SUBJECT>
<Description>This customer downloaded the new driver XXXX v5.4 of the driver,
installed it and since then the printer doesn’t work.</Description>
<STATUS>Open</STATUS>
<PRIORITY>Medium</PRIORITY>
<SEVERITY>Information</SEVERITY>
<Project>Default</Project>
<CATEGORY>Default</CATEGORY>
<VISIBILITY>Internal</VISIBILITY>
<MEDIATYPE>Voice</MEDIATYPE>
<ASSIGNEDTO>jsmith</ASSIGNEDTO>
</COMMAND>
</WAPI>'`,
    );
    expectOk(reply);
    expect(reply.items).toEqual([]);
    expect(Object.keys(reply.values)).toEqual(['FOLLOWUPNUM']);
    // Case 35 already has follow-up 3 (fixtures): the next number within the case is 4.
    expect(replyId(reply, 'FOLLOWUPNUM')).toBe('4');
    const items = await get(emu.url, 'FOLLOWUP', [['CASENUM', '35']]);
    expect(items.map((i) => i['FOLLOWUPNUM'])).toEqual(['3', '4']);
    expect(items[1]).toMatchObject({
      CASENUM: '35',
      SUBJECT: 'New Order placed',
      DESCRIPTION: 'This customer downloaded the new driver XXXX v5.4 of the driver,\ninstalled it and since then the printer doesn’t work.',
      STATUS: 'Open',
      PRIORITY: 'Medium',
      SEVERITY: 'Information',
      PROJECT: 'Default',
      CATEGORY: 'Default',
      VISIBILITY: 'Internal',
      MEDIATYPE: 'Voice',
      ASSIGNEDTO: 'jsmith',
      ATTACHMENTS: '0',
      CREATEDBY: 'johnd',
    });
    expect(items[1]!['CREATEDDATE']).toMatch(TIMESTAMP);
    // FOLLOWUPID is tenant-wide: after the fixtures' 5, 6 and 7.
    expect(items[1]!['FOLLOWUPID']).toBe('8');
  });
});

describe('Get Follow-Up', () => {
  it('CASENUM 67890: every field of the guide\'s reply, FOLLOWUPID included', async () => {
    const reply = await sendGuide(
      emu.url,
      `'<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT="Followup" ACTION="GET">
<CASENUM>67890</CASENUM>
</COMMAND>
</WAPI>'`,
    );
    expectOk(reply);
    expectItemTags(reply.items, FOLLOWUP_TAGS);
    for (const tag of ['CASENUM', 'FOLLOWUPNUM', 'SUBJECT', 'CREATEDDATE', 'ATTACHMENTS', 'FOLLOWUPID', 'CREATEDBY', 'STATUS', 'PRIORITY', 'SEVERITY', 'CATEGORY', 'PROJECT', 'MEDIATYPE', 'VISIBILITY', 'DESCRIPTION']) {
      expect(reply.items[0]).toHaveProperty([tag]);
    }
    expect(reply.items.map((i) => [i['FOLLOWUPNUM'], i['FOLLOWUPID']])).toEqual([['1', '6'], ['2', '7']]);
    expect(reply.items[0]!['CREATEDDATE']).toBe('06212012 10:00:00');
  });

  it('the guide\'s reply example: case 35, FOLLOWUPNUM 3, FOLLOWUPID 5', async () => {
    const [item] = await get(emu.url, 'FOLLOWUP', [['CASENUM', '35']]);
    expect(item).toMatchObject({ CASENUM: '35', FOLLOWUPNUM: '3', FOLLOWUPID: '5', SUBJECT: 'Order Received - Issue Resolved', CREATEDDATE: '05032012 12:26:59', ATTACHMENTS: '', CREATEDBY: 'jsmith' });
  });

  it('CASENUM %78%: the follow-ups of every case whose number contains 78', async () => {
    // Not quoted in the guide: sent as it stands.
    const reply = await sendGuide(
      emu.url,
      `<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT="Followup" ACTION="GET">
<CASENUM>%78%</CASENUM>
</COMMAND>
</WAPI>`,
    );
    expectOk(reply);
    expect(reply.items.map((i) => i['CASENUM'])).toEqual(['67890', '67890']);
  });

  it('CASENUM 67890 created between 06202012 and 06252012', async () => {
    // Repaired: <PASSWORD>john123<PASSWORD> gets its "/", the missing </COMMAND> is added.
    const reply = await sendGuide(
      emu.url,
      `‘<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT=”FOLLOWUP” ACTION=”GET”>
<CASENUM>67890</CASENUM>
<FROMCREATEDATE>06202012</FROMCREATEDATE>
<TOCREATEDATE>06252012</TOCREATEDATE>
</COMMAND>
</WAPI>’`,
    );
    expectOk(reply);
    expect(reply.items.map((i) => i['FOLLOWUPNUM'])).toEqual(['1', '2']);
    const oneDay = await get(emu.url, 'FOLLOWUP', [['CASENUM', '67890'], ['FROMCREATEDATE', '06222012'], ['TOCREATEDATE', '06232012']]);
    expect(oneDay.map((i) => i['FOLLOWUPNUM'])).toEqual(['2']);
  });

  it('"The Case Number is a mandatory field to fetch follow-up data"; "only one case number"', async () => {
    expectRejected(await send(emu.url, 'FOLLOWUP', 'GET', []), 6, "Input Error: The tag 'CASENUM' not passed");
    expectRejected(await send(emu.url, 'FOLLOWUP', 'GET', [['CASENUM', '35'], ['CASENUM', '67890']]), 11, "Duplicate Tag 'CASENUM'");
    expectRejected(await send(emu.url, 'FOLLOWUP', 'GET', [['SUBJECT', 'x']]), 16, "The tag 'SUBJECT' is not a valid tag for the 'GET' on the 'FOLLOWUP'");
  });
});

describe('Delete Follow-Up', () => {
  it('deletes follow-up 2 of case 67890 and answers an empty REPLY', async () => {
    // Repaired: <PASSWORD> and <CASENUM> closing tags get their "/"; </COMMAND> is added.
    const reply = await sendGuide(
      emu.url,
      `‘<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT=”FOLLOWUP” ACTION=”DELETE”>
<CASENUM>67890</CASENUM>
<FOLLOWUPNUM>2</FOLLOWUPNUM>
</COMMAND>
</WAPI>’`,
    );
    expectOk(reply);
    expect(reply.items).toEqual([]);
    expect(reply.values).toEqual({});
    expect((await get(emu.url, 'FOLLOWUP', [['CASENUM', '67890']])).map((i) => i['FOLLOWUPNUM'])).toEqual(['1']);
    // Gone now; and a follow-up is named within its case: case 35 has no follow-up 1.
    expectRejected(await send(emu.url, 'FOLLOWUP', 'DELETE', [['CASENUM', '67890'], ['FOLLOWUPNUM', '2']]), 5, "The value '2' of the alias 'FOLLOWUPNUM' is not valid");
    expectRejected(await send(emu.url, 'FOLLOWUP', 'DELETE', [['CASENUM', '35'], ['FOLLOWUPNUM', '1']]), 5, "The value '1' of the alias 'FOLLOWUPNUM' is not valid");
  });

  it('a deleted follow-up number is not handed out again in its case', async () => {
    const reply = await send(emu.url, 'FOLLOWUP', 'ADD', [['CASENUM', '67890'], ['SUBJECT', 's'], ['DESCRIPTION', 'd']]);
    expect(replyId(reply, 'FOLLOWUPNUM')).toBe('3');
  });
});
