/**
 * Issue "Real tenants": the API gateway transport, POST /cc/v1/wapi with `X-8x8-Tenant` and
 * `x-api-key` headers and a bare COMMAND as the body (README, "The emulator"). The sample
 * tenant gives johnd the key acme-demo-key and the viewer acme-viewer-key.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { parseReply, replyId, type WapiReply } from '../../src/protocol/reply.js';
import { add, caseTags, customerTags, emulator, expectOk, expectRejected, get, send } from './helpers.js';

const KEY = 'acme-demo-key';
const VIEWER_KEY = 'acme-viewer-key';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

async function post(body: string | Buffer, headers: Record<string, string>, method = 'POST'): Promise<Answer> {
  const res = await request(emu.gatewayUrl, { method, headers, body: method === 'POST' ? body : undefined });
  return { status: res.statusCode, headers: res.headers, text: Buffer.from(await res.body.arrayBuffer()).toString('latin1') };
}

const headersFor = (key = KEY, tenant = 'AcmeJets') => ({ 'x-8x8-tenant': tenant, 'x-api-key': key, 'content-type': 'application/xml' });

/** A command through the gateway; the reply must be HTTP 200. */
async function command(object: string, action: string, tags: ReadonlyArray<readonly [string, string]> = [], key = KEY): Promise<WapiReply> {
  const body = `<COMMAND OBJECT="${object}" ACTION="${action}">${tags.map(([t, v]) => `<${t}>${v}</${t}>`).join('')}</COMMAND>`;
  const answer = await post(body, headersFor(key));
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('text/xml; charset=ISO-8859-1');
  return parseReply(answer.text);
}

const UNAUTHORIZED = /^<\?xml version="1\.0" encoding="ISO-8859-1"\?>\n<WAPI><REPLY STATUS="401" ERROR_CODE="401" ERROR_STR="[^"]+"\/><\/WAPI>\n$/;

describe('POST /cc/v1/wapi with an API key', () => {
  it('every object is reachable, as the CRM API user the key was given to', async () => {
    const account = replyId(await command('CUSTOMER', 'ADD', customerTags([['COMPANY', 'Gateway']])), 'ACCOUNTNUM')!;
    expect((await command('CUSTOMER', 'GET', [['COMPANY', 'Gateway']])).items).toMatchObject([{ ACCOUNTNUM: account }]);
    const casenum = replyId(await command('CASE', 'ADD', caseTags(account)), 'CASENUM')!;
    // The key's user is johnd: the case is created by johnd's identity.
    expect((await command('CASE', 'GET', [['CASENUM', casenum]])).items).toMatchObject([{ CREATEDBY: 'johnd' }]);
    expectOk(await command('CASE', 'MODIFY', [['CASENUM', casenum], ['SUBJECT', 'Changed']]));
    expectOk(await command('FOLLOWUP', 'ADD', [['CASENUM', casenum], ['SUBJECT', 's'], ['DESCRIPTION', 'd']]));
    expect((await command('FOLLOWUP', 'GET', [['CASENUM', casenum]])).items).toHaveLength(2);
    const tasknum = replyId(await command('TASK', 'ADD', [['ACCOUNTNUM', account]]), 'TASKNUM')!;
    expect((await command('TASK', 'GET', [['TASKNUM', tasknum]])).items).toMatchObject([{ ASSIGNEDTO: 'johnd' }]);
    const faqcat = replyId(await command('FAQCATEGORY', 'ADD', [['FAQCATEGORY', 'Gateway']]), 'FAQCATID')!;
    const faq = replyId(await command('FAQ', 'ADD', [['FAQCATID', faqcat], ['QUESTION', 'q'], ['ANSWER', 'a']]), 'FAQID')!;
    expect((await command('FAQ', 'GET', [['FAQCATID', faqcat]])).items).toMatchObject([{ FAQID: faq }]);
    expect((await command('GROUPS', 'LIST')).items).toHaveLength(2);
    expect((await command('CUSTOMFIELD', 'GET', [['NAME', 'PrivacyLevel']])).items).toHaveLength(3);
    expectOk(await command('TASK', 'DELETE', [['TASKNUM', tasknum]]));
    // The same records, seen through the form endpoint.
    expect(await get(emu.url, 'CASE', [['CASENUM', casenum]])).toMatchObject([{ SUBJECT: 'Changed' }]);
  });

  it("the key acts with its user's rights: the viewer's key reads, and is refused writes with 310", async () => {
    const account = await add(emu.url, 'CUSTOMER', customerTags());
    expect((await command('CUSTOMER', 'GET', [['ACCOUNTNUM', account]], VIEWER_KEY)).items).toHaveLength(1);
    expectRejected(await command('CUSTOMER', 'MODIFY', [['ACCOUNTNUM', account], ['COMPANY', 'x']], VIEWER_KEY), 310, 'Operation Denied. Not enough permissions', '310');
    expectRejected(await command('CUSTOMER', 'ADD', customerTags(), VIEWER_KEY), 310, 'Operation Denied. Not enough permissions', '310');
  });

  it('a <WAPI> envelope sent to the gateway is accepted and its credentials ignored: the key decides', async () => {
    const envelope = (user: string, password: string) =>
      `<WAPI><TENANT>Nobody</TENANT><USERNAME>${user}</USERNAME><PASSWORD>${password}</PASSWORD><COMMAND OBJECT="CUSTOMER" ACTION="ADD"><FIRSTNAME>Env</FIRSTNAME><LASTNAME>Elope</LASTNAME><AUTOPASSWD>TRUE</AUTOPASSWD></COMMAND></WAPI>`;
    const added = parseReply((await post(envelope('viewer', 'wrong'), headersFor(KEY))).text);
    expect(replyId(added, 'ACCOUNTNUM')).toMatch(/^\d+$/);
    // The viewer's key with johnd's envelope credentials is still the viewer.
    expectRejected(parseReply((await post(envelope('johnd', 'john123'), headersFor(VIEWER_KEY))).text), 310, 'Operation Denied. Not enough permissions', '310');
  });

  it('header names in any case; Content-Type text/xml too, with parameters', async () => {
    const answer = await post('<COMMAND OBJECT="GROUPS" ACTION="LIST"/>', { 'X-8X8-TENANT': 'AcmeJets', 'X-API-KEY': KEY, 'Content-Type': 'text/xml; charset=utf-8' });
    expect(answer.status).toBe(200);
    expect(parseReply(answer.text).items).toHaveLength(2);
  });

  it('the charset of the Content-Type says how the body is encoded', async () => {
    const body = Buffer.concat([Buffer.from('<COMMAND OBJECT="CUSTOMER" ACTION="ADD"><FIRSTNAME>Ren'), Buffer.from([0xe9]), Buffer.from('e</FIRSTNAME><LASTNAME>Charset</LASTNAME><AUTOPASSWD>TRUE</AUTOPASSWD></COMMAND>')]);
    const reply = parseReply((await post(body, { ...headersFor(), 'content-type': 'application/xml; charset=ISO-8859-1' })).text);
    expect(await get(emu.url, 'CUSTOMER', [['ACCOUNTNUM', replyId(reply, 'ACCOUNTNUM')!]])).toMatchObject([{ FIRSTNAME: 'Renée' }]);
    // Without it the bytes are UTF-8, and é alone is not.
    expectRejected(parseReply((await post(body, headersFor())).text), 1, "XML string not correct. Error at line '1': 'byte 0xE9 is not valid UTF-8'");
  });

  it('the gateway answers in the live style whatever the reply style of /WAPI/wapi.php', async () => {
    const account = await add(emu.url, 'CUSTOMER', customerTags([['COMPANY', 'Styled']]));
    const text = (await post(`<COMMAND OBJECT="CUSTOMER" ACTION="GET"><ACCOUNTNUM>${account}</ACCOUNTNUM></COMMAND>`, headersFor())).text;
    expect(text).toContain(`<ITEM><FIRSTNAME>Ada</FIRSTNAME><LASTNAME>Lovelace</LASTNAME><COMPANY>Styled</COMPANY><PBX/><COMMENTS/><ACCOUNTNUM>${account}</ACCOUNTNUM><customertype>Default</customertype>`);
    expect(text).not.toContain('PASSWORD');
    expect(await get(emu.url, 'CUSTOMER', [['ACCOUNTNUM', account]])).toMatchObject([{ AUTOPASSWD: 'TRUE' }]);
  });
});

describe('refused without data: HTTP 401', () => {
  const gatewayAdd = '<COMMAND OBJECT="CUSTOMER" ACTION="ADD"><FIRSTNAME>No</FIRSTNAME><LASTNAME>Key</LASTNAME><AUTOPASSWD>TRUE</AUTOPASSWD></COMMAND>';

  it.each<[string, Record<string, string>]>([
    ['a wrong key', headersFor('not-the-key')],
    ['the key one character off', headersFor('acme-demo-kez')],
    ['the key with a suffix', headersFor(`${KEY}x`)],
    ['the key in another case', headersFor(KEY.toUpperCase())],
    ['an empty key', headersFor('')],
    ['no key', { 'x-8x8-tenant': 'AcmeJets', 'content-type': 'application/xml' }],
    ['a wrong tenant', headersFor(KEY, 'Other')],
    ['the tenant in another case', headersFor(KEY, 'acmejets')],
    ['no tenant', { 'x-api-key': KEY, 'content-type': 'application/xml' }],
  ])('%s: HTTP 401, an XML error reply, nothing done', async (_, headers) => {
    const before = await get(emu.url, 'CUSTOMER', [['FIRSTNAME', 'No']]);
    const answer = await post(gatewayAdd, headers);
    expect(answer.status).toBe(401);
    expect(answer.text).toMatch(UNAUTHORIZED);
    expect(answer.text).not.toContain(KEY);
    const reply = parseReply(answer.text);
    expect({ status: reply.status, errorCode: reply.errorCode, items: reply.items, values: reply.values }).toEqual({ status: '401', errorCode: '401', items: [], values: {} });
    expect(await get(emu.url, 'CUSTOMER', [['FIRSTNAME', 'No']])).toEqual(before);
  });

  it('a GET with a wrong key reads nothing', async () => {
    await add(emu.url, 'CUSTOMER', customerTags([['COMPANY', 'Secret']]));
    const answer = await post('<COMMAND OBJECT="CUSTOMER" ACTION="GET"><COMPANY>Secret</COMPANY></COMMAND>', headersFor('guess-guess'));
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain('Secret');
  });

  it('the form endpoint takes no API key: there, the envelope logs in', async () => {
    const res = await request(emu.url, { method: 'POST', headers: { 'x-api-key': KEY, 'x-8x8-tenant': 'AcmeJets', 'content-type': 'application/x-www-form-urlencoded' }, body: 'xml_query=<WAPI><COMMAND OBJECT="GROUPS" ACTION="LIST"/></WAPI>' });
    expectRejected(parseReply(Buffer.from(await res.body.arrayBuffer())), 303, 'Invalid login parameters.', '303');
  });
});

describe('the rest of HTTP on the gateway', () => {
  it('a form body is HTTP 415; a body that is no COMMAND is the guide error', async () => {
    const form = await post('xml_query=<WAPI/>', { ...headersFor(), 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(parseReply(form.text).errorCode).toBe('415');
    expectRejected(parseReply((await post('<REQUEST/>', headersFor())).text), 1, "Not a valid XML string. Error after 'REQUEST'");
    expectRejected(parseReply((await post('', headersFor())).text), 1, 'Not a valid XML string');
  });

  it('other methods are 405, other paths 404', async () => {
    const getting = await post('', headersFor(), 'GET');
    expect(getting.status).toBe(405);
    expect(getting.headers['allow']).toBe('POST');
    const elsewhere = await request(emu.gatewayUrl.replace('/cc/v1/wapi', '/cc/v2/wapi'), { method: 'POST', headers: headersFor(), body: '<COMMAND/>' });
    expect(elsewhere.statusCode).toBe(404);
    await elsewhere.body.dump();
    // And the form endpoint is where it was.
    expect((await send(emu.url, 'GROUPS', 'LIST')).items).toHaveLength(2);
  });
});
