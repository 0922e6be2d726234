/**
 * The guide, chapter "Manipulate Customer Objects": every example request sent over HTTP as
 * written (repairs noted next to each), and the documented reply shape checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { replyId, replySummary } from '../../src/protocol/reply.js';
import { GUIDE_FIXTURES } from './guide-fixtures.js';
import { emulator, expectItemTags, get, replyTags, SAMPLE_CUSTOM, sendGuide, TIMESTAMP } from './helpers.js';

const SAMPLE_CUSTOMER_TAGS = replyTags('CUSTOMER', SAMPLE_CUSTOM.CUSTOMER);

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await emulator({ fixtures: GUIDE_FIXTURES });
});
afterAll(() => emu.close());

const ok = (reply: { status: string; errorCode: string; errorStr: string }) =>
  expect({ status: reply.status, errorCode: reply.errorCode, errorStr: reply.errorStr }).toEqual({ status: '0', errorCode: '0', errorStr: '' });

describe('Add Customer', () => {
  it('adds the example customer (custom fields included) and answers <ITEM><ACCOUNTNUM>', async () => {
    // Repaired: the example logs in as wapi/wapi1, a user the sample tenant does not have; we
    // use its API user johnd/john123. Otherwise as written, custom fields on one line included.
    const reply = await sendGuide(
      emu.url,
      `'<WAPI>
<tenant>AcmeJets</tenant>
<username>johnd</username>
<password>john123</password>
<COMMAND OBJECT="Customer" ACTION="Add">
<FIRSTNAME>Bill</FIRSTNAME>
<LASTNAME>Gates</LASTNAME>
<EMAIL>b.gates@microsoft.com</EMAIL>
<COMPANY>Microsoft</COMPANY>
<VOICE>123 456 7890</VOICE>
<ALTERNATIVE>789 123 4560</ALTERNATIVE>
<FAX>456 123 7890</FAX>
<COMMENTS>Very important customer</COMMENTS>
<AUTOPASSWD>FALSE</AUTOPASSWD>
<PASSWORD>bill123</PASSWORD>
<ADDR1STR1>1234 John Fitzgerald</ADDR1STR1>
<ADDR1STR2>Kennedy Boulevard</ADDR1STR2>
<ADDR1CITY>Los Angeles</ADDR1CITY>
<ADDR1STATE>CA</ADDR1STATE>
<ADDR1ZIP>12345</ADDR1ZIP>
<ADDR1COUNTRY>United States</ADDR1COUNTRY>
<ADDR2STR1>456 Martin Luther</ADDR2STR1>
<ADDR2STR2>King Boulevard</ADDR2STR2>
<ADDR2CITY>San Francisco</ADDR2CITY>
<ADDR2STATE>CA</ADDR2STATE>
<ADDR2ZIP>67890</ADDR2ZIP>
<ADDR2COUNTRY>United States</ADDR2COUNTRY>
<CUSTOMERTYPE>Default</CUSTOMERTYPE>
<CF01_PICKLIST.NAME>value1</CF01_PICKLIST.NAME> <CF02.NAME>value2</CF02.NAME>
</COMMAND>
</WAPI>'`,
    );
    ok(reply);
    // "<ITEM><ACCOUNTNUM>1453</ACCOUNTNUM></ITEM>": the customer's id comes inside an ITEM.
    expect(reply.values).toEqual({});
    expect(reply.items).toHaveLength(1);
    expect(Object.keys(reply.items[0]!)).toEqual(['ACCOUNTNUM']);
    const id = replyId(reply, 'ACCOUNTNUM')!;
    // Sequence after the fixtures' highest account number (10000045).
    expect(id).toBe('10000046');
    const [item] = await get(emu.url, 'CUSTOMER', [['ACCOUNTNUM', id]]);
    expect(item).toMatchObject({
      FIRSTNAME: 'Bill',
      LASTNAME: 'Gates',
      EMAIL: 'b.gates@microsoft.com',
      COMPANY: 'Microsoft',
      VOICE: '123 456 7890',
      ALTERNATIVE: '789 123 4560',
      FAX: '456 123 7890',
      COMMENTS: 'Very important customer',
      AUTOPASSWD: 'FALSE',
      PASSWORD: 'bill123',
      ADDR1STR1: '1234 John Fitzgerald',
      ADDR1STR2: 'Kennedy Boulevard',
      ADDR1CITY: 'Los Angeles',
      ADDR1STATE: 'CA',
      ADDR1ZIP: '12345',
      ADDR1COUNTRY: 'United States',
      ADDR2STR1: '456 Martin Luther',
      ADDR2STR2: 'King Boulevard',
      ADDR2CITY: 'San Francisco',
      ADDR2STATE: 'CA',
      ADDR2ZIP: '67890',
      ADDR2COUNTRY: 'United States',
      CUSTOMERTYPE: 'Default',
      'CF01_PICKLIST.NAME': 'value1',
      'CF02.NAME': 'value2',
      LEGACY_ID: '',
      ACCOUNTNUM: id,
    });
  });
});

describe('Modify Customer', () => {
  it('modifies the e-mail address of account 1453 and answers its ACCOUNTNUM', async () => {
    const reply = await sendGuide(
      emu.url,
      `'<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME> <PASSWORD>john123</PASSWORD>
<COMMAND OBJECT="Customer" ACTION="Modify">
<ACCOUNTNUM>1453</ACCOUNTNUM>
<FIRSTNAME>Bill</FIRSTNAME> <LASTNAME>Gates</LASTNAME>
<EMAIL>MSGuru@microsoft.com</EMAIL>
</COMMAND>
</WAPI>'`,
    );
    ok(reply);
    expect(replyId(reply, 'ACCOUNTNUM')).toBe('1453');
    const [item] = await get(emu.url, 'CUSTOMER', [['ACCOUNTNUM', '1453']]);
    // "Any parameter not supplied in a Modify request retains its previous value."
    expect(item).toMatchObject({ EMAIL: 'MSGuru@microsoft.com', COMPANY: 'Microsoft', CUSTOMERTYPE: 'NT User', PASSWORD: 'bill123', 'CF01_PICKLIST.NAME': 'value1' });
  });
});

describe('Get Customer Details', () => {
  const getExample = (command: string) =>
    `'<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
${command}
</WAPI>'`;

  it('COMPANY microsoft: values are case-sensitive, so only the customer whose company is "microsoft"', async () => {
    const reply = await sendGuide(
      emu.url,
      `'<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME> <PASSWORD>john123</PASSWORD>
<COMMAND OBJECT="Customer" ACTION="GET">
<COMPANY>microsoft</COMPANY>
</COMMAND>
</WAPI>'`,
    );
    ok(reply);
    expect(reply.items.map((i) => i['ACCOUNTNUM'])).toEqual(['10000019']);
    expectItemTags(reply.items, SAMPLE_CUSTOMER_TAGS);
  });

  it('COMPANY m%: the companies that begin with a lower-case m', async () => {
    const reply = await sendGuide(emu.url, getExample(`<COMMAND OBJECT="Customer" ACTION="GET"> <COMPANY>m%</COMPANY>\n</COMMAND>`));
    ok(reply);
    expect(reply.items.map((i) => i['COMPANY'])).toEqual(['microsoft']);
  });

  it('LASTNAME gates, then g%', async () => {
    const exact = await sendGuide(emu.url, getExample(`<COMMAND OBJECT="Customer" ACTION="GET">\n<LASTNAME>gates</LASTNAME>\n</COMMAND>`));
    ok(exact);
    expect(exact.items.map((i) => i['ACCOUNTNUM'])).toEqual(['10000019']);
    const prefix = await sendGuide(emu.url, getExample(`<COMMAND OBJECT="Customer" ACTION="GET"> <LASTNAME>g%</LASTNAME>\n</COMMAND>`));
    ok(prefix);
    expect(prefix.items.map((i) => i['ACCOUNTNUM'])).toEqual(['10000019']);
  });

  it('EMAIL bill@microsoft.com', async () => {
    // Repaired: the example's <TENANT>C ompanyX</TENANT> and <PASSWORD>john12 3</PASSWORD> (split
    // over two lines by the extraction) are the tenant and password of every other example.
    const reply = await sendGuide(
      emu.url,
      `'<WAPI>
<TENANT>AcmeJets</TENANT> <USERNAME>johnd</USERNAME> <PASSWORD>john123</PASSWORD>
<COMMAND OBJECT="Customer" ACTION="GET"> <EMAIL>bill@microsoft.com</EMAIL>
</COMMAND>
</WAPI>'`,
    );
    ok(reply);
    expect(reply.items.map((i) => i['ACCOUNTNUM'])).toEqual(['10000019']);
  });

  it('EMAIL b%', async () => {
    const reply = await sendGuide(emu.url, getExample(`<COMMAND OBJECT="Customer" ACTION="GET"> <EMAIL>b%</EMAIL>\n</COMMAND>`));
    ok(reply);
    // 1453's bill.gates@ became MSGuru@ in the Modify example above.
    expect(reply.items.map((i) => i['EMAIL'])).toEqual(['bill@microsoft.com', 'b.gates@microsoft.com']);
  });

  it('CUSTOMERTYPE NT User', async () => {
    const reply = await sendGuide(emu.url, getExample(`<COMMAND OBJECT="Customer" ACTION="GET">\n<CUSTOMERTYPE>NT User</CUSTOMERTYPE>\n</COMMAND>`));
    ok(reply);
    expect(reply.items.map((i) => i['ACCOUNTNUM'])).toEqual(['1453']);
  });

  it('ACCOUNTNUM 1453: the reply carries every field, custom fields last', async () => {
    const reply = await sendGuide(emu.url, getExample(`<COMMAND OBJECT="Customer" ACTION="GET"> <ACCOUNTNUM>1453</ACCOUNTNUM>\n</COMMAND>`));
    ok(reply);
    expectItemTags(reply.items, SAMPLE_CUSTOMER_TAGS);
    const [item] = reply.items;
    // The guide's reply: FIRSTNAME ... ACCOUNTNUM, CUSTOMERTYPE, CF01_PICKLIST.NAME, CF02.NAME.
    expect(item).toMatchObject({ FIRSTNAME: 'Bill', LASTNAME: 'Gates', COMPANY: 'Microsoft', CUSTOMERTYPE: 'NT User', PASSWORD: 'bill123', AUTOPASSWD: 'FALSE', 'CF01_PICKLIST.NAME': 'value1', 'CF02.NAME': 'value2', ACCOUNTNUM: '1453' });
    expect(item!['CREATEDDATE']).toBe('05012012 10:00:00');
    expect(item!['LASTMODDATE']).toMatch(TIMESTAMP);
  });

  it('ACCOUNTNUM %45%: every account number containing 45, lowest first', async () => {
    const reply = await sendGuide(emu.url, getExample(`<COMMAND OBJECT="Customer" ACTION="GET"> <ACCOUNTNUM>%45%</ACCOUNTNUM>\n</COMMAND>`));
    ok(reply);
    expect(reply.items.map((i) => i['ACCOUNTNUM'])).toEqual(['1453', '10000045']);
  });

  it('no tags: one ITEM with FIRSTID, LASTID and TOTAL', async () => {
    // Repaired: "TENANT>AcmeJets</TENANT>" lost its "<".
    const reply = await sendGuide(
      emu.url,
      `'<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT="Customer" ACTION="GET">
</COMMAND>
</WAPI>'`,
    );
    ok(reply);
    expect(reply.items).toHaveLength(1);
    expect(Object.keys(reply.items[0]!)).toEqual(['FIRSTID', 'LASTID', 'TOTAL']);
    expect(replySummary(reply)).toEqual({ firstId: 1453, lastId: 10000046, total: 5 });
  });

  it('custom picklist CF01_PICKLIST.NAME and custom text CF02.NAME', async () => {
    // Repaired: the examples search for the placeholder "Value"; we search for a value the
    // fields hold (and show the placeholder itself finds nothing).
    const placeholder = await sendGuide(emu.url, getExample(`<COMMAND OBJECT="Customer" ACTION="GET">\n<CF01_PICKLIST.NAME>Value</CF01_PICKLIST.NAME>\n</COMMAND>`));
    ok(placeholder);
    expect(placeholder.items).toEqual([]);
    const picklist = await sendGuide(emu.url, getExample(`<COMMAND OBJECT="Customer" ACTION="GET">\n<CF01_PICKLIST.NAME>value1</CF01_PICKLIST.NAME>\n</COMMAND>`));
    ok(picklist);
    expect(picklist.items.map((i) => i['ACCOUNTNUM'])).toEqual(['1453', '10000046']);
    const text = await sendGuide(
      emu.url,
      `'<WAPI>
<TENANT>AcmeJets</TENANT> <USERNAME>johnd</USERNAME> <PASSWORD>john123</PASSWORD>
<COMMAND OBJECT=”Customer” ACTION=”GET”>
<CF02.NAME>value2</CF02.NAME>
</COMMAND>
</WAPI>'`,
    );
    ok(text);
    expect(text.items.map((i) => i['ACCOUNTNUM'])).toEqual(['1453', '10000046']);
  });

  it('created between 06202012 and 06252012; last modified between the same days', async () => {
    // Repaired: <PASSWORD>john123<PASSWORD> gets its "/", and the missing </COMMAND> is added.
    const created = await sendGuide(
      emu.url,
      `‘<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT=”CUSTOMER” ACTION=”GET”>
<FROMCREATEDATE>06202012</FROMCREATEDATE>
<TOCREATEDATE>06252012</TOCREATEDATE>
</COMMAND>
</WAPI>’`,
    );
    ok(created);
    expect(created.items.map((i) => i['ACCOUNTNUM'])).toEqual(['10000019']);
    const modified = await sendGuide(
      emu.url,
      `‘<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT=”CUSTOMER” ACTION=”GET”>
<FROMLASTMODDATE>06202012</FROMLASTMODDATE>
<TOLASTMODDATE>06252012</TOLASTMODDATE>
</COMMAND>
</WAPI>’`,
    );
    ok(modified);
    expect(modified.items.map((i) => i['ACCOUNTNUM'])).toEqual(['10000019']);
  });
});

describe('Delete Customer', () => {
  it('deletes account 10000019 and answers an empty REPLY; its cases, follow-ups and tasks go with it', async () => {
    // Repaired: <PASSWORD>john123<PASSWORD> and <ACCOUNTNUM>10000019<ACCOUNTNUM> get their "/",
    // and the missing </COMMAND> is added.
    const reply = await sendGuide(
      emu.url,
      `‘<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT=”CUSTOMER” ACTION=”DELETE”>
<ACCOUNTNUM>10000019</ACCOUNTNUM>
</COMMAND>
</WAPI>’`,
    );
    ok(reply);
    expect(reply.items).toEqual([]);
    expect(reply.values).toEqual({});
    expect(await get(emu.url, 'CUSTOMER', [['ACCOUNTNUM', '10000019']])).toEqual([]);
    // Case 67890 and task 100 belonged to it; case 67890 had follow-ups.
    expect(await get(emu.url, 'CASE', [['CASENUM', '67890']])).toEqual([]);
    expect(await get(emu.url, 'FOLLOWUP', [['CASENUM', '67890']])).toEqual([]);
    expect(await get(emu.url, 'TASK', [['TASKNUM', '100']])).toEqual([]);
  });
});

describe('reply tags', () => {
  it('a customer ITEM is the catalogue reply fields in order, then the custom fields', () => {
    expect(SAMPLE_CUSTOMER_TAGS).toEqual(replyTags('CUSTOMER', ['CF01_PICKLIST.NAME', 'CF02.NAME', 'LEGACY_ID']));
    // Every tag of the guide's GET reply is among them.
    for (const tag of ['FIRSTNAME', 'LASTNAME', 'EMAIL', 'CUSTOMERTYPE', 'COMPANY', 'VOICE', 'ALTERNATIVE', 'FAX', 'COMMENTS', 'PASSWORD', 'AUTOPASSWD', 'ADDR1STR1', 'ADDR1STR2', 'ADDR1CITY', 'ADDR1STATE', 'ADDR1ZIP', 'ADDR1COUNTRY', 'ADDR2STR1', 'ADDR2STR2', 'ADDR2CITY', 'ADDR2STATE', 'ADDR2ZIP', 'ADDR2COUNTRY', 'ACCOUNTNUM', 'CF01_PICKLIST.NAME', 'CF02.NAME']) {
      expect(SAMPLE_CUSTOMER_TAGS).toContain(tag);
    }
  });
});
