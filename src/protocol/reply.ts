import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { findBadCharRef, resolveCharRefs, restoreCr } from './char-refs.js';
import { ApiRejection, WapiBulkError } from './errors.js';
import { decodeReply } from './reply-charset.js';
import { scanReply } from './reply-scanner.js';
import { findNonXmlChar } from './xml-chars.js';

/** A parsed CRM API reply. Every value is a string, exactly as sent ("00123" stays "00123"). */
export interface WapiReply {
  /** "0" on success, "-1" for a rejected command, "303"/"310" for login/permission. */
  readonly status: string;
  /** "" when the reply has no ERROR_CODE (older replies in the guide lack it). */
  readonly errorCode: string;
  readonly errorStr: string;
  /** One record per ITEM, tag names upper-cased, empty tags as "". Always a list. */
  readonly items: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Tags directly under REPLY, outside any ITEM (e.g. CASENUM after an ADD). */
  readonly values: Readonly<Record<string, string>>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  attributesGroupName: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  // Numeric character references (&#19990;) are resolved by resolveCharRefs before parsing,
  // several times cheaper than the parser's HTML-entity pass on a 1,000-ITEM export page.
  htmlEntities: false,
  transformTagName: (name) => name.toUpperCase(),
  transformAttributeName: (name) => name.toUpperCase(),
  isArray: (name) => name === 'ITEM',
});

type Node = string | { [key: string]: unknown };

function text(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return restoreCr(node);
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'object') {
    const inner = (node as Record<string, unknown>)['#text'];
    return typeof inner === 'string' ? restoreCr(inner) : '';
  }
  return typeof node === 'number' || typeof node === 'boolean' ? String(node) : '';
}

function fields(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (node === null || typeof node !== 'object') return out;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === '#text' || key === '@') continue;
    out[key] = text(value);
  }
  return out;
}

/** The REPLY start tag; a quoted attribute value may hold `>`. */
const REPLY_START = /<REPLY\b(?:"[^"]*"|'[^']*'|[^>"'])*>/i;
/** A quoted value (kept as it is) or an unquoted `NAME=value` (to quote). */
const ATTRIBUTE = /("[^"]*"|'[^']*')|(\s[A-Za-z_][\w.-]*)\s*=\s*([^"'\s/>]+)/g;

/**
 * Some servers (and the guide's examples) write attribute values without quotes:
 * `<REPLY STATUS=0 ERROR_STR="">`. Quote them in the REPLY start tag only. Quoted values are
 * skipped whole: ERROR_STR echoes the rejected value, and `The value 'x y=z' ...` is data.
 */
function repairReplyTag(xml: string): string {
  return xml.replace(REPLY_START, (tag) =>
    tag.replace(ATTRIBUTE, (match, quoted: string | undefined, name: string, value: string) =>
      quoted !== undefined ? match : `${name}="${value}"`,
    ),
  );
}

/** Attribute names of the REPLY start tag, outside quoted values. */
const ATTRIBUTE_NAME = /("[^"]*"|'[^']*')|([A-Za-z_][\w.:-]*)\s*=/g;

/**
 * The name of an attribute the REPLY start tag holds twice, in any case (`STATUS="0"
 * status="-1"`): which one the server meant is a guess, so the reply is refused.
 */
function repeatedReplyAttribute(xml: string): string | undefined {
  const tag = REPLY_START.exec(xml)?.[0];
  if (tag === undefined) return undefined;
  const seen = new Set<string>();
  for (const m of tag.slice('<REPLY'.length).matchAll(ATTRIBUTE_NAME)) {
    const name = m[2]?.toUpperCase();
    if (name === undefined) continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

function badReply(message: string, cause?: unknown): WapiBulkError {
  return new WapiBulkError('WAPI_BAD_REPLY', message, {
    retryable: false,
    cause,
    hint: 'check that --url points at the CRM API endpoint (…/WAPI/wapi.php)',
  });
}

/** A body as text: a Buffer in the charset it declares (reply-charset.ts), ISO-8859-1 by default. */
function bodyText(body: Buffer | string, contentType: string | undefined): string {
  // Leading whitespace before the XML declaration is tolerated (PHP scripts often emit it).
  return (typeof body === 'string' ? body : decodeReply(body, contentType)).trimStart();
}

/**
 * Parse a reply body. A Buffer is decoded in the charset the reply declares (its Content-Type,
 * given as `contentType`, or its XML declaration), ISO-8859-1 when it declares none; characters
 * outside the charset arrive as numeric character references and are resolved, so any Unicode
 * text round-trips.
 */
export function parseReply(body: Buffer | string, contentType?: string): WapiReply {
  const xml = bodyText(body, contentType);
  if (xml === '') throw badReply("the server's reply is empty");
  const scanned = scanReply(xml);
  if (scanned) {
    const { attributes } = scanned;
    return {
      status: (attributes['STATUS'] as string).trim(),
      errorCode: (attributes['ERROR_CODE'] ?? '').trim(),
      errorStr: attributes['ERROR_STR'] ?? '',
      items: scanned.items,
      values: scanned.values,
    };
  }
  return parseReplyFully(xml);
}

/**
 * The full parser: fast-xml-parser after its validator, for any shape (CDATA, comments,
 * unquoted attributes) and for the error messages. parseReply's fast path must agree with it
 * (test/unit/protocol/reply-scanner.test.ts).
 */
export function parseReplyFully(body: Buffer | string, contentType?: string): WapiReply {
  const xml = bodyText(body, contentType);
  if (xml === '') throw badReply("the server's reply is empty");
  const bad = findNonXmlChar(xml);
  // The parser would pass a raw U+0001 through (and restoreCr would turn it into CR).
  if (bad !== undefined) throw badReply(`the server's reply is not well-formed XML: it holds the character ${bad}`);
  const badRef = findBadCharRef(xml);
  if (badRef !== undefined) throw badReply(`the server's reply is not well-formed XML: it holds ${badRef.slice(0, 24)}, a reference to a character XML cannot carry`);
  const repeated = repeatedReplyAttribute(xml);
  if (repeated !== undefined) throw badReply(`the server's reply has two ${repeated} attributes`);
  const repaired = repairReplyTag(xml);
  // fast-xml-parser alone accepts a truncated body or mismatched tags and returns what it read:
  // a GET cut short would look like a successful reply with fewer ITEMs.
  const verdict = XMLValidator.validate(repaired);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    const where = Number.isFinite(col) ? ` (line ${line}, column ${col})` : '';
    const what = msg.startsWith("Invalid '[") ? 'it ends before its elements are closed (cut short?)' : msg;
    throw badReply(`the server's reply is not well-formed XML${where}: ${what}`);
  }
  let doc: Record<string, Node>;
  try {
    // Line ends first, as XML reads them (section 2.11): a raw CR before `&#10;` is a line end
    // of its own, not half of a CR LF the reference completes (found by the differential test).
    const lines = repaired.includes('\r') ? repaired.replace(/\r\n?/g, '\n') : repaired;
    doc = parser.parse(resolveCharRefs(lines)) as Record<string, Node>;
  } catch (error) {
    throw badReply(`the server's reply is not XML: ${(error as Error).message}`, error);
  }
  const wapi = doc['WAPI'];
  const reply = wapi && typeof wapi === 'object' ? (wapi as Record<string, unknown>)['REPLY'] : undefined;
  if (reply === undefined) {
    const start = xml.slice(0, 80).replace(/\s+/g, ' ');
    throw badReply(`the server's reply has no <WAPI><REPLY>: "${start}"`);
  }
  if (Array.isArray(reply)) throw badReply("the server's reply holds more than one <REPLY>");
  const replyNode = (typeof reply === 'object' && reply !== null ? reply : {}) as Record<string, unknown>;
  const attributes = (replyNode['@'] ?? {}) as Record<string, string>;
  const status = attributes['STATUS'];
  if (status === undefined) throw badReply('the server\'s reply has no STATUS attribute');
  const items = ((replyNode['ITEM'] as unknown[] | undefined) ?? []).map(fields);
  return {
    status: status.trim(),
    errorCode: (attributes['ERROR_CODE'] ?? '').trim(),
    errorStr: restoreCr(attributes['ERROR_STR'] ?? ''),
    items,
    values: fields(Object.fromEntries(Object.entries(replyNode).filter(([k]) => k !== 'ITEM'))),
  };
}

/** Whether the command succeeded (STATUS 0). */
export function isSuccess(reply: WapiReply): boolean {
  return reply.status === '0';
}

/** Throw the ApiRejection a failed reply stands for; return the reply when it succeeded. */
export function assertSuccess(reply: WapiReply): WapiReply {
  if (!isSuccess(reply)) throw new ApiRejection(reply.status, reply.errorCode, reply.errorStr);
  return reply;
}

/**
 * The id an ADD or MODIFY returned, with or without an ITEM wrapper
 * (`<ITEM><ACCOUNTNUM>n</ACCOUNTNUM></ITEM>` or `<CASENUM>n</CASENUM>`).
 */
export function replyId(reply: WapiReply, idTag: string): string | undefined {
  const tag = idTag.toUpperCase();
  const direct = reply.values[tag];
  if (direct !== undefined && direct.trim() !== '') return direct.trim();
  const inItem = reply.items[0]?.[tag];
  return inItem !== undefined && inItem.trim() !== '' ? inItem.trim() : undefined;
}

/** The summary of an empty GET: FIRSTID, LASTID, TOTAL (numbers; 0 when absent or empty). */
export interface RangeSummary {
  readonly firstId: number;
  readonly lastId: number;
  readonly total: number;
}

/**
 * The summary ITEM of an empty GET (CUSTOMER, CASE, TASK) as numbers. An empty tenant may send
 * the tags empty, or none: 0. Anything but digits is WAPI_BAD_REPLY: an export plans every
 * query from these three numbers, and NaN would plan nothing without a word.
 */
export function rangeSummary(item: Readonly<Record<string, string>> | undefined): RangeSummary {
  const num = (tag: string): number => {
    const text = (item?.[tag] ?? '').trim();
    if (text === '') return 0;
    if (!/^[0-9]+$/.test(text)) throw badReply(`the summary of an empty GET has ${tag} "${text.slice(0, 40)}", not a number`);
    return Number(text);
  };
  return { firstId: num('FIRSTID'), lastId: num('LASTID'), total: num('TOTAL') };
}

/** The summary of a reply to an empty GET (its first ITEM). */
export function replySummary(reply: WapiReply): RangeSummary {
  return rangeSummary(reply.items[0]);
}
