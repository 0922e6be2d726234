/**
 * The guide, chapter "Manipulate Custom Field Objects and Values": every example request sent
 * over HTTP as written (repairs noted next to each), and the documented reply shape checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { GUIDE_FIXTURES } from './guide-fixtures.js';
import { emulator, expectOk, expectRejected, get, send, sendGuide } from './helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await emulator({ fixtures: GUIDE_FIXTURES });
});
afterAll(() => emu.close());

describe('Get Custom Field', () => {
  it('NAME PrivacyLevel: one ITEM with a VALUE per active picklist value', async () => {
    const reply = await sendGuide(
      emu.url,
      `'<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT="Customfield" ACTION="GET"> <NAME>PrivacyLevel</NAME>
</COMMAND>
</WAPI>'`,
    );
    expectOk(reply);
    expect(reply.items).toEqual([{ VALUE: 'No Solicitation' }, { VALUE: 'Unknown' }, { VALUE: 'Neutral' }]);
  });

  it('a custom picklist field by its tag: its active values only (value0 is deactivated)', async () => {
    const reply = await send(emu.url, 'CUSTOMFIELD', 'GET', [['NAME', 'CF01_PICKLIST.NAME']]);
    expectOk(reply);
    expect(reply.items).toEqual([{ VALUE: 'value1' }, { VALUE: 'value2' }, { VALUE: 'value3' }]);
  });

  it('"If the parameter ... does not correspond to a picklist, the Local CRM returns an empty response"', async () => {
    for (const name of ['CF02.NAME', 'NoSuchField']) {
      const reply = await send(emu.url, 'CUSTOMFIELD', 'GET', [['NAME', name]]);
      expectOk(reply);
      expect(reply.items).toEqual([]);
      expect(reply.values).toEqual({});
    }
  });

  it('the lists the guide sends here for "the list of possible statuses" and the like', async () => {
    const statuses = await send(emu.url, 'CUSTOMFIELD', 'GET', [['NAME', 'STATUS']]);
    expect(statuses.items).toEqual([
      { VALUE: 'Unassigned', USABILITY: 'UNA' },
      { VALUE: 'Open', USABILITY: 'OPN' },
      { VALUE: 'Pending', USABILITY: 'OPN' },
      { VALUE: 'Closed', USABILITY: 'CLS' },
    ]);
    expect((await send(emu.url, 'CUSTOMFIELD', 'GET', [['NAME', 'PRIORITY']])).items.map((i) => i['VALUE'])).toEqual(['Low', 'Medium', 'High']);
    expect((await send(emu.url, 'CUSTOMFIELD', 'GET', [['NAME', 'CATEGORY']])).items.map((i) => i['VALUE'])).toEqual(['Default', 'Gold', 'Platinum']);
  });

  it('NAME is mandatory and the only tag', async () => {
    expectRejected(await send(emu.url, 'CUSTOMFIELD', 'GET', []), 6, "The mandatory tag 'NAME' is not passed or the value for this tag is not passed");
    expectRejected(await send(emu.url, 'CUSTOMFIELD', 'GET', [['NAME', 'PrivacyLevel'], ['VALUE', 'x']]), 16, "The tag 'VALUE' is not a valid tag for the 'GET' on the 'CUSTOMFIELD'");
    expectRejected(await send(emu.url, 'CUSTOMFIELD', 'MODIFY', [['NAME', 'PrivacyLevel']]), 10, "Action 'MODIFY' Not Valid for the Object 'CUSTOMFIELD'");
  });
});

describe('Modify Custom Field Values', () => {
  it('sets CF01_PICKLIST.NAME and CF02.NAME of a customer through Customer Modify; the reply has <ITEM><ACCOUNTNUM>', async () => {
    // Repaired: ACCOUNTNUM 1000019 lost a digit in the extraction; 10000019 is the account the
    // other examples use.
    const reply = await sendGuide(
      emu.url,
      `'<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT="Customer" ACTION="Modify">
<ACCOUNTNUM>10000019</ACCOUNTNUM>
<FIRSTNAME>Bill</FIRSTNAME>
<LASTNAME>Gates</LASTNAME>
<CF01_PICKLIST.NAME>value1</CF01_PICKLIST.NAME>
<CF02.NAME>value2</CF02.NAME>
</COMMAND>
</WAPI>'`,
    );
    expectOk(reply);
    expect(reply.items).toEqual([{ ACCOUNTNUM: '10000019' }]);
    const [item] = await get(emu.url, 'CUSTOMER', [['ACCOUNTNUM', '10000019']]);
    expect(item).toMatchObject({ FIRSTNAME: 'Bill', LASTNAME: 'Gates', 'CF01_PICKLIST.NAME': 'value1', 'CF02.NAME': 'value2', EMAIL: 'bill@microsoft.com' });
  });

  it('as printed (ACCOUNTNUM 1000019) it names no customer', async () => {
    expectRejected(
      await send(emu.url, 'CUSTOMER', 'MODIFY', [['ACCOUNTNUM', '1000019'], ['CF02.NAME', 'x']]),
      5,
      "The value '1000019' of the alias 'ACCOUNTNUM' is not valid",
    );
  });

  it('custom values are checked against their definitions: picklist, length, date, deactivated and deleted fields', async () => {
    const modify = (tags: Array<[string, string]>) => send(emu.url, 'CUSTOMER', 'MODIFY', [['ACCOUNTNUM', '10000019'], ...tags]);
    expectRejected(await modify([['CF01_PICKLIST.NAME', 'value0']]), 5, "The value = 'value0' of the tag 'CF01_PICKLIST.NAME' is not valid");
    expectRejected(await modify([['CF02.NAME', 'x'.repeat(101)]]), 3, "The length of the value of the tag 'CF02.NAME' is '101' which is greater than the allowed value '100'");
    expectRejected(await modify([['OLD_NOTES', 'x']]), 15, "The STATUS of the tag 'OLD_NOTES' is 'DEL'. No action allowed on this tag");
    const task = (tags: Array<[string, string]>) => send(emu.url, 'TASK', 'MODIFY', [['TASKNUM', '183'], ...tags]);
    expectRejected(await task([['TASK_DATE', '2012-06-22']]), 14, "The value of the passed alias 'TASK_DATE' is not in the correct format (mmddyyyy)");
    expectRejected(await task([['TASK_DATE', '02302012']]), 14, "The value of the passed alias 'TASK_DATE' is not in the correct format (mmddyyyy)");
    expectOk(await task([['TASK_DATE', '02292012'], ['TASK_PICKLIST', 'one']]));
  });
});
