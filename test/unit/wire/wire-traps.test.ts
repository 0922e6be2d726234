/**
 * The traps of rules written twice, each by name: the copies that had started to disagree
 * (charLength, MMDDYYYY with three lowest years, isXmlChar and its pattern in four readers,
 * FIRSTID/LASTID/TOTAL read twice), and the disagreements the table test (wire-rules.test.ts)
 * found between the offline validator and the emulator, each held to one verdict.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRequestXml } from '../../../src/emulator/request-parser.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { dayToApi, parseDayOption, replyDateToIso, replyDay } from '../../../src/export/dates.js';
import type { PlanContext } from '../../../src/export/plan-types.js';
import { readSummary } from '../../../src/export/summary-query.js';
import { checkCustomValue, checkFieldValue } from '../../../src/mapping/check-value.js';
import { charLength as mappingCharLength } from '../../../src/mapping/transforms.js';
import { validateRecord } from '../../../src/mapping/validate-record.js';
import { CATALOGUE, fieldDef, type ObjectName } from '../../../src/protocol/catalogue.js';
import { buildRequest, encodeForm } from '../../../src/protocol/request.js';
import { parseReply, parseReplyFully, rangeSummary, replySummary, type WapiReply } from '../../../src/protocol/reply.js';
import { charLength } from '../../../src/protocol/wire-formats.js';
import { isXmlChar } from '../../../src/protocol/xml-chars.js';

const CREDENTIALS = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };
let dir: string;
let emulator: RunningEmulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wapi-wire-traps-'));
  // The sample tenant but for CUSTOMERTYPE, which holds a deactivated spelling of an active value.
  const tenant = {
    tenant: 'AcmeJets',
    users: [{ username: 'johnd', password: 'john123', identity: 'johnd' }],
    agents: [{ id: 'johnd', name: 'John Doe' }, { id: 'jsmith', name: 'Jane Smith' }],
    groups: [],
    lists: {
      CASE_STATUS: [{ value: 'Unassigned', usability: 'UNA' }, { value: 'Open', usability: 'OPN' }, { value: 'Closed', usability: 'CLS' }],
      CUSTOMERTYPE: ['Default', 'VIP', { value: 'vip', active: false }],
    },
    customFields: { TASK: [{ tag: 'TASK_DATE', type: 'date' }] },
  };
  writeFileSync(join(dir, 'tenant.json'), JSON.stringify(tenant));
  emulator = await startEmulator({ port: 0, tenantConfig: join(dir, 'tenant.json') });
});

afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function send(object: string, action: string, tags: ReadonlyArray<readonly [string, string]>): Promise<WapiReply> {
  const res = await request(emulator.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodeForm(buildRequest(CREDENTIALS, { object, action, tags })),
  });
  return parseReply(Buffer.from(await res.body.arrayBuffer()));
}

const def = (object: ObjectName, tag: string) => fieldDef(CATALOGUE[object], tag)!;

describe('charLength written twice (mapping/transforms.ts, emulator/check-value.ts)', () => {
  it('is one function: the mapping counts characters as the wire does', () => {
    expect(mappingCharLength).toBe(charLength);
  });

  it.each([
    ['', 0],
    ['abc', 3],
    ['😀', 1],
    ['a😀b😀', 4],
    ['\uD800', 1],
    ['\uDC00\uD800', 2],
    ['e\u0301', 2],
    ['王'.repeat(1000), 1000],
  ])('counts %j as %i characters', (value, n) => {
    expect(charLength(value)).toBe(n);
  });
});

describe('MMDDYYYY checked three times with different lowest years', () => {
  // Regression: offline validate passed 01010999 (lowest year 1), which the emulator refused (1000).
  it('01010999: offline validate, the emulator and the exporter all refuse a year before 1000', async () => {
    expect(checkFieldValue(def('CUSTOMER', 'FROMCREATEDATE'), '01010999')?.code).toBe('BAD_DATE');
    expect(checkFieldValue(def('TASK', 'DUEDATE'), '010109991200')?.code).toBe('BAD_DATE');
    expect(checkCustomValue('TASK_DATE', { type: 'date' }, '01010999')?.code).toBe('BAD_DATE');
    expect(parseDayOption('01010999')).toBeUndefined();
    expect(replyDay('01010999 10:00:00')).toBeUndefined();
    expect(replyDateToIso('01010999 10:00:00')).toBe('01010999 10:00:00');
    const task = await send('CUSTOMER', 'ADD', [['FIRSTNAME', 'A'], ['LASTNAME', 'B'], ['AUTOPASSWD', 'TRUE']]);
    const account = task.items[0]?.['ACCOUNTNUM'] as string;
    expect((await send('CUSTOMER', 'GET', [['FROMCREATEDATE', '01010999']])).errorCode).toBe('14');
    expect((await send('TASK', 'ADD', [['ACCOUNTNUM', account], ['TASK_DATE', '01010999']])).errorCode).toBe('14');
    expect((await send('TASK', 'ADD', [['ACCOUNTNUM', account], ['DUEDATE', '010109991200']])).status).toBe('-1');
  });

  it('01011000 and 12319999: accepted by all of them, and the exporter writes them back alike', async () => {
    expect(checkFieldValue(def('CUSTOMER', 'FROMCREATEDATE'), '01011000')).toBeUndefined();
    expect(checkCustomValue('TASK_DATE', { type: 'date' }, '12319999')).toBeUndefined();
    expect(dayToApi(parseDayOption('01011000') as number)).toBe('01011000');
    expect(dayToApi(parseDayOption('9999-12-31') as number)).toBe('12319999');
    expect(replyDateToIso('12319999 23:59:59')).toBe('9999-12-31T23:59:59');
    expect((await send('CUSTOMER', 'GET', [['FROMCREATEDATE', '01011000']])).status).toBe('0');
    expect((await send('CUSTOMER', 'GET', [['TOCREATEDATE', '12319999']])).status).toBe('0');
  });
});

describe('isXmlChar and the "not an XML char" pattern written four times', () => {
  const BOUNDARIES = [0x0, 0x1, 0x8, 0x9, 0xa, 0xb, 0xc, 0xd, 0xe, 0x1f, 0x20, 0x7f, 0x85, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x10ffff];
  const reply = (text: string) => `<?xml version="1.0" encoding="ISO-8859-1"?><WAPI><REPLY STATUS="0" ERROR_CODE="0" ERROR_STR=""><ITEM><V>a${text}b</V></ITEM></REPLY></WAPI>`;
  const takes = (fn: () => unknown): boolean => {
    try {
      fn();
      return true;
    } catch {
      return false;
    }
  };

  // Regression: a reply holding `&#1;` was read as if the reference were not there, and one
  // holding `&#xFFFE;` kept it as text, where the request reader refuses both.
  it.each(BOUNDARIES.map((cp) => [cp.toString(16).toUpperCase().padStart(4, '0'), cp] as const))(
    'U+%s: the validator, the request reader and both reply readers agree with isXmlChar',
    (_hex, cp) => {
      const char = cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
      const ref = `&#x${cp.toString(16)};`;
      const request = (text: string) => `<WAPI><COMMAND OBJECT="CUSTOMER" ACTION="GET"><FIRSTNAME>a${text}b</FIRSTNAME></COMMAND></WAPI>`;
      const want = isXmlChar(cp);
      expect({
        validator: checkFieldValue(def('CUSTOMER', 'COMMENTS'), `a${char}b`)?.code !== 'NOT_XML',
        requestRaw: takes(() => parseRequestXml(request(char))),
        requestReference: takes(() => parseRequestXml(request(ref))),
        replyRaw: takes(() => parseReply(reply(char))),
        replyRawFully: takes(() => parseReplyFully(reply(char))),
        replyReference: takes(() => parseReply(reply(ref))),
        replyReferenceFully: takes(() => parseReplyFully(reply(ref))),
      }).toEqual({ validator: want, requestRaw: want, requestReference: want, replyRaw: want, replyRawFully: want, replyReference: want, replyReferenceFully: want });
    },
  );
});

describe('FIRSTID/LASTID/TOTAL parsed twice (protocol/reply.ts, export/summary-query.ts)', () => {
  type Item = Readonly<Record<string, string>>;
  const planContext = (item: Item | undefined): PlanContext =>
    ({ query: async () => (item === undefined ? [] : [item]), stats: { ranges: 0, bisections: 0, failedRanges: 0 } }) as unknown as PlanContext;
  const asReply = (item: Item | undefined): WapiReply => ({ status: '0', errorCode: '0', errorStr: '', items: item === undefined ? [] : [item], values: {} });

  it.each([
    [{ FIRSTID: ' 10000000 ', LASTID: '10000083', TOTAL: '81' }, { firstId: 10000000, lastId: 10000083, total: 81 }],
    [{ FIRSTID: '', LASTID: '', TOTAL: '0' }, { firstId: 0, lastId: 0, total: 0 }],
    [undefined, { firstId: 0, lastId: 0, total: 0 }],
  ])('%j: the reply reader and the exporter read the same numbers', async (item, want) => {
    expect(replySummary(asReply(item))).toEqual(want);
    expect(await readSummary(planContext(item))).toEqual(want);
  });

  // Regression: Number('12abc') made NaN, and an export planned from NaN wrote nothing, silently.
  it.each<Item>([{ TOTAL: 'abc' }, { FIRSTID: '12abc' }, { LASTID: '1e3' }, { TOTAL: '-1' }])('%j: both refuse a summary that is no number', async (item) => {
    expect(() => replySummary(asReply(item))).toThrow(expect.objectContaining({ code: 'WAPI_BAD_REPLY' }));
    await expect(readSummary(planContext(item))).rejects.toMatchObject({ code: 'WAPI_BAD_REPLY' });
  });

  it("reads the emulator's own summary as replySummary does", async () => {
    const got = await send('CUSTOMER', 'GET', []);
    expect(await readSummary(planContext(got.items[0]))).toEqual(rangeSummary(got.items[0]));
    expect(rangeSummary(got.items[0]).total).toBeGreaterThan(0);
  });
});

describe('disagreements the table found, one verdict each now', () => {
  // Regression: the emulator took "   " as a mandatory FIRSTNAME; offline validate refused it.
  it('a mandatory value of whitespace only: both refuse it as not passed', async () => {
    const tags = [['FIRSTNAME', '   '], ['LASTNAME', 'B'], ['AUTOPASSWD', 'TRUE']] as const;
    expect(validateRecord('CUSTOMER', 'ADD', tags).map((p) => p.code)).toEqual(['MISSING_MANDATORY']);
    expect((await send('CUSTOMER', 'ADD', tags)).errorStr).toBe("The mandatory tag 'FIRSTNAME' is not passed or the value for this tag is not passed");
  });

  // Regression: the validator read FAQ PRIVATE as case-sensitive on MODIFY too; the Modify FAQ table says any case.
  it('FAQ PRIVATE in lower case: refused on ADD, accepted on MODIFY, by both', async () => {
    const category = (await send('FAQCATEGORY', 'ADD', [['FAQCATEGORY', 'General']])).values['FAQCATID'] as string;
    const add = [['FAQCATID', category], ['QUESTION', 'Q'], ['ANSWER', 'A'], ['PRIVATE', 'y']] as const;
    expect(validateRecord('FAQ', 'ADD', add).map((p) => p.code)).toEqual(['BAD_FORMAT']);
    expect((await send('FAQ', 'ADD', add)).status).toBe('-1');
    const faq = (await send('FAQ', 'ADD', [['FAQCATID', category], ['QUESTION', 'Q'], ['ANSWER', 'A']])).values['FAQID'] as string;
    const modify = [['FAQID', faq], ['PRIVATE', 'y']] as const;
    expect(validateRecord('FAQ', 'MODIFY', modify)).toEqual([]);
    expect((await send('FAQ', 'MODIFY', modify)).status).toBe('0');
  });

  // Regression: the validator counted CR LF as two characters; the client sends LF, and the server counts one.
  it('line ends count as they travel: 1,024 characters of COMMENTS once CR LF is LF pass both', async () => {
    const value = `${'x'.repeat(1021)}\r\nxx`;
    expect(value.length).toBe(1025);
    expect(checkFieldValue(def('CUSTOMER', 'COMMENTS'), value)).toBeUndefined();
    const reply = await send('CUSTOMER', 'ADD', [['FIRSTNAME', 'A'], ['LASTNAME', 'B'], ['AUTOPASSWD', 'TRUE'], ['COMMENTS', value]]);
    expect(reply.errorStr).toBe('');
  });

  // Regression: the validator passed an empty ASSIGNEDTO on a case MODIFY; the emulator refuses it without a STATUS or with an open one.
  it('an empty ASSIGNEDTO on a case MODIFY: both refuse it without STATUS and with an open STATUS', async () => {
    const customer = (await send('CUSTOMER', 'ADD', [['FIRSTNAME', 'A'], ['LASTNAME', 'B'], ['AUTOPASSWD', 'TRUE']])).items[0]?.['ACCOUNTNUM'] as string;
    const casenum = (await send('CASE', 'ADD', [['ACCOUNTNUM', customer], ['SUBJECT', 'S'], ['DESCRIPTION', 'D']])).values['CASENUM'] as string;
    const lists = { caseStatusUsability: { Unassigned: 'UNA', Open: 'OPN', Closed: 'CLS' } } as const;
    for (const tags of [[['CASENUM', casenum], ['ASSIGNEDTO', '']], [['CASENUM', casenum], ['STATUS', 'Open'], ['ASSIGNEDTO', '']]] as const) {
      expect(validateRecord('CASE', 'MODIFY', tags, lists).map((p) => p.field)).toEqual(['ASSIGNEDTO']);
      expect((await send('CASE', 'MODIFY', tags)).errorCode).toBe('13');
    }
    // With a closed status it unassigns: both take it.
    const closing = [['CASENUM', casenum], ['STATUS', 'Closed'], ['ASSIGNEDTO', '']] as const;
    expect(validateRecord('CASE', 'MODIFY', closing, lists)).toEqual([]);
    expect((await send('CASE', 'MODIFY', closing)).status).toBe('0');
  });

  // Regression: the emulator refused a deactivated spelling ("vip") even where an active one ("VIP") matched in another case; the validator took it.
  it('an enumeration value whose exact spelling is deactivated but matches an active one in another case: both take it, stored as the active spelling', async () => {
    const tags = [['FIRSTNAME', 'A'], ['LASTNAME', 'B'], ['AUTOPASSWD', 'TRUE'], ['CUSTOMERTYPE', 'vip']] as const;
    expect(validateRecord('CUSTOMER', 'ADD', tags, { CUSTOMERTYPE: ['Default', 'VIP'] })).toEqual([]);
    const added = await send('CUSTOMER', 'ADD', tags);
    expect(added.errorStr).toBe('');
    const got = await send('CUSTOMER', 'GET', [['ACCOUNTNUM', added.items[0]?.['ACCOUNTNUM'] as string]]);
    expect(got.items[0]?.['CUSTOMERTYPE']).toBe('VIP');
  });
});
