/**
 * Issue "Real tenants": `replyStyle` (serve --reply-style guide|live). `live` lays a customer
 * ITEM out as a reply captured from a live tenant; `guide` keeps the guide's field tables. Both
 * write an empty value self-closing, as the guide's own Get Task reply (`<PHONE/>`) and the
 * capture (`<COMPANY/>`) do (README, "The emulator").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { parseReply } from '../../src/protocol/reply.js';
import { buildRequest, encodeForm } from '../../src/protocol/request.js';
import { CREDENTIALS, emulator, expectItemTags, get, postRaw, replyTags, SAMPLE_CUSTOM, type Tags } from './helpers.js';

const CLOCK = () => new Date('2024-05-06T07:08:09Z');

const FIXTURES = {
  customers: [
    {
      ACCOUNTNUM: 10000001,
      FIRSTNAME: 'Bill',
      LASTNAME: 'Gates',
      EMAIL: 'bill@example.com',
      AUTOPASSWD: 'FALSE',
      PASSWORD: 'bill123',
      CUSTOMERTYPE: 'NT User',
      ADDR1CITY: 'Los Angeles',
      'CF02.NAME': 'value2',
      CREATEDDATE: '2024-01-02T03:04:05',
    },
  ],
  cases: [{ CASENUM: 5, ACCOUNTNUM: 10000001, SUBJECT: 'Printer', DESCRIPTION: 'Broken', STATUS: 'Unassigned', CREATEDBY: 'johnd' }],
  tasks: [{ TASKNUM: 7, ACCOUNTNUM: 10000001, SUBJECT: 'Call back', CREATEDBY: 'johnd', ASSIGNEDTO: 'johnd' }],
  followups: [{ CASENUM: 5, SUBJECT: 'Called', DESCRIPTION: 'No answer' }],
  faqcategories: [{ FAQCATID: 1, FAQCATEGORY: 'Safety' }],
  faqs: [{ FAQID: 3, FAQCATID: 1, QUESTION: 'Q?', ANSWER: 'A.' }],
};

let live: RunningEmulator;
let guide: RunningEmulator;
beforeAll(async () => {
  live = await emulator({ replyStyle: 'live', fixtures: FIXTURES, now: CLOCK });
  guide = await emulator({ fixtures: FIXTURES, now: CLOCK });
});
afterAll(async () => {
  await live.close();
  await guide.close();
});

/** The raw reply text of a GET. */
async function raw(url: string, object: string, tags: Tags): Promise<string> {
  const posted = await postRaw(url, encodeForm(buildRequest(CREDENTIALS, { object, action: 'GET', tags })));
  expect(posted.status).toBe(200);
  return posted.body.toString('latin1');
}

describe('live: the customer ITEM as captured from a live tenant', () => {
  it('this order, PBX, lower-case customertype, empties self-closing, no PASSWORD, AUTOPASSWD, CREATEDDATE or LASTMODDATE; then the custom fields', async () => {
    const text = await raw(live.url, 'CUSTOMER', [['ACCOUNTNUM', '10000001']]);
    expect(text).toBe(
      '<?xml version="1.0" encoding="ISO-8859-1"?>\n<WAPI><REPLY STATUS="0" ERROR_CODE="0" ERROR_STR=""><ITEM>' +
        '<FIRSTNAME>Bill</FIRSTNAME><LASTNAME>Gates</LASTNAME><COMPANY/><PBX/><COMMENTS/><ACCOUNTNUM>10000001</ACCOUNTNUM>' +
        '<customertype>NT User</customertype><EMAIL>bill@example.com</EMAIL><VOICE/><ALTERNATIVE/><FAX/>' +
        '<ADDR1STR1/><ADDR1STR2/><ADDR1CITY>Los Angeles</ADDR1CITY><ADDR1STATE/><ADDR1ZIP/><ADDR1COUNTRY>United States</ADDR1COUNTRY>' +
        '<ADDR2STR1/><ADDR2STR2/><ADDR2CITY/><ADDR2STATE/><ADDR2ZIP/><ADDR2COUNTRY>United States</ADDR2COUNTRY>' +
        '<CF01_PICKLIST.NAME/><CF02.NAME>value2</CF02.NAME><LEGACY_ID/>' +
        '</ITEM></REPLY></WAPI>\n',
    );
  });

  it('read by our own reply parser: tag names upper-cased, so customertype is CUSTOMERTYPE', async () => {
    const [item] = parseReply(await raw(live.url, 'CUSTOMER', [['ACCOUNTNUM', '10000001']])).items;
    expect(item).toMatchObject({ CUSTOMERTYPE: 'NT User', PBX: '', COMPANY: '' });
    expect(item).not.toHaveProperty('PASSWORD');
    expect(item).not.toHaveProperty('LASTMODDATE');
  });

  it('the date filters still work though the dates are not shown', async () => {
    expect(await get(live.url, 'CUSTOMER', [['FROMCREATEDATE', '01022024'], ['TOCREATEDATE', '01032024']])).toHaveLength(1);
    expect(await get(live.url, 'CUSTOMER', [['FROMLASTMODDATE', '01032024']])).toHaveLength(0);
  });
});

describe('guide: the guide field tables, unchanged', () => {
  it('every reply field of the catalogue in order, PASSWORD and the dates included', async () => {
    const items = await get(guide.url, 'CUSTOMER', [['ACCOUNTNUM', '10000001']]);
    expectItemTags(items, replyTags('CUSTOMER', SAMPLE_CUSTOM.CUSTOMER));
    expect(items[0]).toMatchObject({ PASSWORD: 'bill123', AUTOPASSWD: 'FALSE', CUSTOMERTYPE: 'NT User', CREATEDDATE: '01022024 03:04:05', LASTMODDATE: '01022024 03:04:05' });
    const text = await raw(guide.url, 'CUSTOMER', [['ACCOUNTNUM', '10000001']]);
    expect(text).toContain('<CUSTOMERTYPE>NT User</CUSTOMERTYPE>');
    expect(text).not.toContain('PBX');
  });
});

describe('the other objects: every empty value self-closing, in both styles', () => {
  it.each<[string, Tags]>([
    ['CASE', [['CASENUM', '5']]],
    ['TASK', [['TASKNUM', '7']]],
    ['FOLLOWUP', [['CASENUM', '5']]],
    ['FAQ', [['FAQCATID', '1']]],
  ])('%s', async (object, tags) => {
    const text = await raw(live.url, object, tags);
    expect(text).toMatch(/<[A-Za-z_.0-9]+\/>/);
    expect(text).not.toMatch(/<([A-Za-z_.0-9]+)><\/\1>/);
    // The capture is of a customer only: elsewhere the live style is the guide's.
    expect(text).toBe(await raw(guide.url, object, tags));
  });

  it('a case has its empties self-closing where the guide reply has no sample (CLOSEDBY, MEDIATYPE)', async () => {
    const text = await raw(live.url, 'CASE', [['CASENUM', '5']]);
    expect(text).toContain('<MEDIATYPE/>');
    expect(text).toContain('<CLOSEDBY/>');
    expect(text).toContain('<ASSIGNEDTO/>');
  });
});
