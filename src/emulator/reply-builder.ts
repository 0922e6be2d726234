import { escapeLatin1 } from './reply-escape.js';

export type ReplyItem = ReadonlyArray<readonly [string, string]>;

export interface ReplyParts {
  readonly status: string;
  readonly errorCode: string;
  readonly errorStr: string;
  /** ITEM records, each an ordered list of [tag, value]. */
  readonly items?: ReadonlyArray<ReplyItem>;
  /** Tags directly under REPLY (an ADD's id). */
  readonly values?: ReadonlyArray<readonly [string, string]>;
}

const HEAD = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<WAPI>';
/** What closes a reply that has a body (see replyHead). */
export const REPLY_TAIL = '</REPLY></WAPI>\n';

// Most values need no escaping at all: test once, escape only those that do.
 
const NEEDS_ESCAPE = /[&<>"\r\u0100-\uFFFF]/;

/**
 * One element. An empty value is written self-closing (`<PHONE/>`): the guide's own example
 * replies write empties so (Get Task: `<PHONE/>`, `<TRANSID/>`, `<call_type/>`), and so does
 * the reply captured from a live tenant (`<COMPANY/>`).
 */
function tag(name: string, value: string): string {
  if (value === '') return `<${name}/>`;
  return `<${name}>${NEEDS_ESCAPE.test(value) ? escapeLatin1(value) : value}</${name}>`;
}

function attributes(parts: Pick<ReplyParts, 'status' | 'errorCode' | 'errorStr'>): string {
  return `STATUS="${escapeLatin1(parts.status)}" ERROR_CODE="${escapeLatin1(parts.errorCode)}" ERROR_STR="${escapeLatin1(parts.errorStr)}"`;
}

/**
 * The start of a reply with a body, up to the values under REPLY; ITEMs (itemsXml) and
 * REPLY_TAIL follow. For a server that writes a long reply in pieces.
 */
export function replyHead(parts: Pick<ReplyParts, 'status' | 'errorCode' | 'errorStr' | 'values'>): string {
  let out = `${HEAD}<REPLY ${attributes(parts)}>`;
  for (const [name, value] of parts.values ?? []) out += tag(name, value);
  return out;
}

/** ITEM elements, in order. */
export function itemsXml(items: Iterable<ReplyItem>): string {
  const chunks: string[] = [];
  for (const item of items) {
    chunks.push('<ITEM>');
    for (const [name, value] of item) chunks.push(tag(name, value));
    chunks.push('</ITEM>');
  }
  return chunks.join('');
}

/**
 * Write a reply as the server sends it: ISO-8859-1, characters outside Latin-1 as numeric
 * character references, a reply with nothing in it (every error reply) as a self-closing
 * REPLY (README, "Protocol notes"). Returns the body bytes.
 */
export function buildReply(parts: ReplyParts): Buffer {
  const items = parts.items ?? [];
  const values = parts.values ?? [];
  if (items.length === 0 && values.length === 0) return Buffer.from(`${HEAD}<REPLY ${attributes(parts)}/></WAPI>\n`, 'latin1');
  return Buffer.from(replyHead(parts) + itemsXml(items) + REPLY_TAIL, 'latin1');
}
