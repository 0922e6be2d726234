/**
 * Helpers for the emulator suite: start an emulator on a free port, post requests to it over
 * real HTTP, and read the replies with our own protocol module.
 */
import { expect } from 'vitest';
import { request } from 'undici';
import { CATALOGUE, replyFields, type ObjectName } from '../../src/protocol/catalogue.js';
import { buildRequest, encodeForm, type Credentials } from '../../src/protocol/request.js';
import { parseReply, replyId, type WapiReply } from '../../src/protocol/reply.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

export const CREDENTIALS: Credentials = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };
export const VIEWER: Credentials = { tenant: 'AcmeJets', username: 'viewer', password: 'view123' };

export type Tags = ReadonlyArray<readonly [string, string]>;

export function emulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, ...options });
}

export interface Posted {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** POST a body as it is (no encoding added). */
export async function postRaw(url: string, body: string | Buffer, contentType = 'application/x-www-form-urlencoded'): Promise<Posted> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

/** A reply that must be an HTTP 200 with a well-formed WAPI reply. */
export function replyOf(posted: Posted): WapiReply {
  expect(posted.status).toBe(200);
  expect(posted.headers['content-type']).toBe('text/xml; charset=ISO-8859-1');
  expect(posted.body.toString('latin1')).toMatch(/^<\?xml version="1\.0" encoding="ISO-8859-1"\?>/);
  return parseReply(posted.body);
}

/** Send XML text as the form variable xml_query, URL-encoded as a browser form does. */
export async function sendXml(url: string, xml: string): Promise<WapiReply> {
  return replyOf(await postRaw(url, encodeForm(xml)));
}

/** Send one command built by our own request builder. */
export async function send(url: string, object: string, action: string, tags: Tags = [], credentials = CREDENTIALS): Promise<WapiReply> {
  return sendXml(url, buildRequest(credentials, { object, action, tags }));
}

/** Send a command that must succeed; returns the reply. */
export async function ok(url: string, object: string, action: string, tags: Tags = [], credentials = CREDENTIALS): Promise<WapiReply> {
  const reply = await send(url, object, action, tags, credentials);
  expect({ status: reply.status, errorCode: reply.errorCode, errorStr: reply.errorStr }).toEqual({ status: '0', errorCode: '0', errorStr: '' });
  return reply;
}

const ID_TAG: Record<string, string> = {
  CUSTOMER: 'ACCOUNTNUM',
  CASE: 'CASENUM',
  FOLLOWUP: 'FOLLOWUPNUM',
  TASK: 'TASKNUM',
  FAQ: 'FAQID',
  FAQCATEGORY: 'FAQCATID',
};

/** ADD a record and return its id. */
export async function add(url: string, object: string, tags: Tags): Promise<string> {
  const reply = await ok(url, object, 'ADD', tags);
  const id = replyId(reply, ID_TAG[object.toUpperCase()] as string);
  expect(id).toMatch(/^\d+$/);
  return id as string;
}

/** GET and return the ITEMs. */
export async function get(url: string, object: string, tags: Tags = []): Promise<Array<Readonly<Record<string, string>>>> {
  return [...(await ok(url, object, 'GET', tags)).items];
}

/** A minimal valid customer. */
export function customerTags(extra: Tags = []): Tags {
  return [['FIRSTNAME', 'Ada'], ['LASTNAME', 'Lovelace'], ['AUTOPASSWD', 'TRUE'], ...extra];
}

export function caseTags(accountnum: string, extra: Tags = []): Tags {
  return [['ACCOUNTNUM', accountnum], ['SUBJECT', 'Printer'], ['DESCRIPTION', 'It does not print'], ...extra];
}

/** The reply must be the rejection with this ERROR_CODE and exactly this ERROR_STR. */
export function expectRejected(reply: WapiReply, errorCode: number, errorStr: string, status = '-1'): void {
  expect({ status: reply.status, errorCode: reply.errorCode, errorStr: reply.errorStr, items: reply.items, values: reply.values }).toEqual({
    status,
    errorCode: String(errorCode),
    errorStr,
    items: [],
    values: {},
  });
}

/** An error reply is a self-closing REPLY (README, "Protocol notes"). */
export function expectSelfClosingError(posted: Posted): void {
  expect(posted.body.toString('latin1')).toMatch(/<WAPI><REPLY STATUS="-?\d+" ERROR_CODE="\d+" ERROR_STR="[^"]*"\/><\/WAPI>\s*$/);
}

/**
 * The guide's examples are written inside an HTML attribute, `'<WAPI>...</WAPI>'`, and the PDF
 * extraction turned some quotes curly. Strip the attribute quotes and straighten the quotes
 * inside the XML; every other repair is written out where the example is quoted.
 */
export function guideExample(text: string): string {
  return text
    .trim()
    .replace(/^['‘’]/, '')
    .replace(/['‘’]$/, '')
    .replace(/[”“]/g, '"')
    .trim();
}

/** Send a guide example as written (after guideExample's quote repairs). */
export function sendGuide(url: string, text: string): Promise<WapiReply> {
  return sendXml(url, guideExample(text));
}

/** The tags every ITEM of a GET carries: the catalogue's reply fields in order, then custom fields. */
export function replyTags(object: ObjectName, custom: readonly string[] = []): string[] {
  const tags = replyFields(CATALOGUE[object]).map((f) => f.tag);
  if (object === 'FOLLOWUP' && !tags.includes('FOLLOWUPID')) tags.push('FOLLOWUPID');
  return [...tags, ...custom];
}

/** Custom field tags of the sample tenant, per object (the deleted OLD_NOTES is never in a reply). */
export const SAMPLE_CUSTOM: Record<'CUSTOMER' | 'CASE' | 'TASK' | 'FOLLOWUP', string[]> = {
  CUSTOMER: ['CF01_PICKLIST.NAME', 'CF02.NAME', 'LEGACY_ID'],
  CASE: ['CF01_PICKLIST.NAME', 'CF02.NAME', 'CASE_LEGACY_ID'],
  TASK: ['CF01_PICKLIST.NAME', 'CF02.NAME', 'TASK_PICKLIST', 'TASK_TEXT', 'TASK_DATE', 'TASK_LEGACY_ID'],
  FOLLOWUP: [],
};

/** Every ITEM has exactly these tags, in this order. */
export function expectItemTags(items: ReadonlyArray<Readonly<Record<string, string>>>, tags: readonly string[]): void {
  expect(items.length).toBeGreaterThan(0);
  for (const item of items) expect(Object.keys(item)).toEqual(tags);
}

/** A reply timestamp, `MMDDYYYY HH:MM:SS` (README, "Protocol notes"). */
export const TIMESTAMP = /^\d{8} \d{2}:\d{2}:\d{2}$/;

/** `MMDDYYYY` for a Date (UTC, as the emulator's clock is read). */
export function wireDate(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${date.getUTCFullYear()}`;
}

/** A clock the test moves by hand. */
export function manualClock(start: string): { now: () => Date; set(iso: string): void } {
  let current = new Date(start);
  return {
    now: () => current,
    set(iso: string) {
      current = new Date(iso);
    },
  };
}

/** A successful reply: STATUS 0, ERROR_CODE 0, no ERROR_STR. */
export function expectOk(reply: WapiReply): void {
  expect({ status: reply.status, errorCode: reply.errorCode, errorStr: reply.errorStr }).toEqual({ status: '0', errorCode: '0', errorStr: '' });
}

/** A guide example's command inside the usual AcmeJets/johnd envelope, as the guide prints it. */
export const standard = (command: string) => `'<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
${command}
</WAPI>'`;
