/**
 * A fast path for the reply shape servers actually send: `<WAPI><REPLY ...>` with leaf tags and
 * `<ITEM>`s of leaf tags. fast-xml-parser (with the validator that catches truncated replies)
 * costs ~100 us per 30-field record, which capped exports at a few thousand records a second;
 * this scanner reads the same shape with native regular expressions. It is strict: anything
 * outside that shape (CDATA, comments, nesting, unknown entities, a truncated body) returns
 * undefined, and parseReply falls back to the full parser, which also reports what is wrong.
 */
import { findNonXmlChar, isXmlChar } from './xml-chars.js';

export interface ScannedReply {
  readonly attributes: Record<string, string>;
  readonly items: Record<string, string>[];
  readonly values: Record<string, string>;
}

/** The XML declaration as XML 1.0 spells it (version, then encoding and standalone, in order). */
const DECLARATION = /<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][\w.-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>/.source;
// Tag names in any case (`<wapi>`), the declaration only as XML spells it (`<?XML` is refused).
const PROLOG = new RegExp(`^\\uFEFF?\\s*(?:${DECLARATION}\\s*)?<([Ww][Aa][Pp][Ii])\\s*>\\s*<([Rr][Ee][Pp][Ll][Yy])\\b`, 'y');
const ATTR = /\s+([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)'|([^\s"'<>/=]+))/y;
const START_END = /\s*(\/?)>/y;
const LEAF = /\s*<([A-Za-z_][\w.-]*)\s*(?:\/>|>([^<]*)<\/\1\s*>)/y;
const ITEM_OPEN = /\s*<(ITEM)\s*>/iy;
const CLOSE = /\s*<\/([A-Za-z_][\w.-]*)\s*>/y;
const END = /\s*$/y;
const ENTITY = /&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g;
/** An `&` that does not start one of the references ENTITY reads. */
const BARE_AMPERSAND = /&(?!(?:#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);)/;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** XML text to a string: line ends to LF, then entities; undefined for anything unexpected. */
function decode(raw: string): string | undefined {
  let text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  if (!text.includes('&')) return text;
  // Judged on the raw text, each `&` where it stands: `&am&amp;p;` is a bare `&` followed by
  // `am`, not an `&amp;` once the inner reference is read (found by the differential test).
  if (BARE_AMPERSAND.test(text)) return undefined;
  let ok = true;
  text = text.replace(ENTITY, (_m, body: string) => {
    if (body[0] !== '#') return NAMED[body] as string;
    const cp = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    if (!isXmlChar(cp)) ok = false;
    return ok ? String.fromCodePoint(cp) : '';
  });
  return ok ? text : undefined;
}

function at(re: RegExp, xml: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(xml);
}

/**
 * Read leaf tags from `pos` into `into` (first occurrence wins, as in the full parser). Returns
 * where the leaves end, or undefined when a value holds something only the full parser can read.
 */
function leaves(xml: string, pos: number, into: Record<string, string>): number | undefined {
  LEAF.lastIndex = pos;
  for (;;) {
    const start = LEAF.lastIndex;
    const m = LEAF.exec(xml);
    if (!m) return start;
    const name = (m[1] as string).toUpperCase();
    if (name === 'ITEM' || name === 'REPLY') return start;
    const raw = m[2];
    const value = raw === undefined ? '' : raw.includes('&') || raw.includes('\r') ? decode(raw) : raw;
    if (value === undefined) return undefined;
    if (into[name] === undefined) into[name] = value;
  }
}

/** Whether a closing tag of exactly `name` (XML names are case-sensitive) stands at `pos`. */
function closes(xml: string, pos: number, name: string): boolean {
  return at(CLOSE, xml, pos)?.[1] === name;
}

export function scanReply(xml: string): ScannedReply | undefined {
  const prolog = at(PROLOG, xml, 0);
  if (!prolog || findNonXmlChar(xml) !== undefined) return undefined;
  const [wapiName, replyName] = [prolog[4] as string, prolog[5] as string];
  let pos = PROLOG.lastIndex;
  const attributes: Record<string, string> = {};
  for (let m = at(ATTR, xml, pos); m; m = at(ATTR, xml, pos)) {
    const value = decode(m[2] ?? m[3] ?? m[4] ?? '');
    const name = (m[1] as string).toUpperCase();
    // Two STATUS attributes: which one counts is a guess; the full parser refuses the reply.
    if (value === undefined || attributes[name] !== undefined) return undefined;
    attributes[name] = value;
    pos = ATTR.lastIndex;
  }
  const end = at(START_END, xml, pos);
  if (!end || attributes['STATUS'] === undefined) return undefined;
  pos = START_END.lastIndex;
  const items: Record<string, string>[] = [];
  const values: Record<string, string> = {};
  if (end[1] !== '/') {
    for (;;) {
      const next = leaves(xml, pos, values);
      if (next === undefined) return undefined;
      pos = next;
      const open = at(ITEM_OPEN, xml, pos);
      if (open) {
        const item: Record<string, string> = {};
        const after = leaves(xml, ITEM_OPEN.lastIndex, item);
        if (after === undefined || !closes(xml, after, open[1] as string)) return undefined;
        items.push(item);
        pos = CLOSE.lastIndex;
        continue;
      }
      if (!closes(xml, pos, replyName)) return undefined;
      pos = CLOSE.lastIndex;
      break;
    }
  }
  return closes(xml, pos, wapiName) && at(END, xml, CLOSE.lastIndex) ? { attributes, items, values } : undefined;
}
