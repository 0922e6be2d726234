import { XMLParser } from 'fast-xml-parser';
import { ApiRejection, WapiBulkError } from './errors.js';

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
  // Resolves numeric character references (&#19990;) as well as the XML ones.
  htmlEntities: true,
  transformTagName: (name) => name.toUpperCase(),
  transformAttributeName: (name) => name.toUpperCase(),
  isArray: (name) => name === 'ITEM',
});

type Node = string | { [key: string]: unknown };

function text(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'object') {
    const inner = (node as Record<string, unknown>)['#text'];
    return typeof inner === 'string' ? inner : '';
  }
  return String(node);
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

/**
 * Some servers (and the guide's examples) write attribute values without quotes:
 * `<REPLY STATUS=0 ERROR_STR="">`. Quote them in the REPLY start tag only, where no data lives.
 */
function repairReplyTag(xml: string): string {
  return xml.replace(/<REPLY\b[^>]*>/i, (tag) => tag.replace(/(\s[A-Za-z_]+)=([^"'\s/>]+)/g, '$1="$2"'));
}

function badReply(message: string, cause?: unknown): WapiBulkError {
  return new WapiBulkError('WAPI_BAD_REPLY', message, {
    retryable: false,
    cause,
    hint: 'check that --url points at the CRM API endpoint (…/WAPI/wapi.php)',
  });
}

/**
 * Parse a reply body. A Buffer is decoded as ISO-8859-1 (the server's charset); characters
 * outside Latin-1 arrive as numeric character references and are resolved, so any Unicode
 * text round-trips.
 */
export function parseReply(body: Buffer | string): WapiReply {
  const xml = typeof body === 'string' ? body : body.toString('latin1');
  let doc: Record<string, Node>;
  try {
    doc = parser.parse(repairReplyTag(xml)) as Record<string, Node>;
  } catch (error) {
    throw badReply(`the server's reply is not XML: ${(error as Error).message}`, error);
  }
  const wapi = doc['WAPI'];
  const reply = wapi && typeof wapi === 'object' ? (wapi as Record<string, unknown>)['REPLY'] : undefined;
  if (reply === undefined) {
    const start = xml.slice(0, 80).replace(/\s+/g, ' ');
    throw badReply(`the server's reply has no <WAPI><REPLY>: "${start}"`);
  }
  const replyNode = (typeof reply === 'object' && reply !== null ? reply : {}) as Record<string, unknown>;
  const attributes = (replyNode['@'] ?? {}) as Record<string, string>;
  const status = attributes['STATUS'];
  if (status === undefined) throw badReply('the server\'s reply has no STATUS attribute');
  const items = ((replyNode['ITEM'] as unknown[] | undefined) ?? []).map(fields);
  return {
    status: status.trim(),
    errorCode: (attributes['ERROR_CODE'] ?? '').trim(),
    errorStr: attributes['ERROR_STR'] ?? '',
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

/** The summary of an empty GET: FIRSTID, LASTID, TOTAL (numbers; 0 when absent). */
export interface RangeSummary {
  readonly firstId: number;
  readonly lastId: number;
  readonly total: number;
}

export function replySummary(reply: WapiReply): RangeSummary {
  const item = reply.items[0] ?? {};
  const num = (v: string | undefined) => (v === undefined || v.trim() === '' ? 0 : Number(v.trim()));
  return { firstId: num(item['FIRSTID']), lastId: num(item['LASTID']), total: num(item['TOTAL']) };
}
