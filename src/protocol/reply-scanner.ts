/**
 * A fast path for the reply shape servers actually send: `<WAPI><REPLY ...>` with leaf tags and
 * `<ITEM>`s of leaf tags. fast-xml-parser (with the validator that catches truncated replies)
 * costs ~100 us per 30-field record, which capped exports at a few thousand records a second;
 * this scanner reads the same shape with native regular expressions. It is strict: anything
 * outside that shape (CDATA, comments, nesting, unknown entities, a truncated body) returns
 * undefined, and parseReply falls back to the full parser, which also reports what is wrong.
 */

export interface ScannedReply {
  readonly attributes: Record<string, string>;
  readonly items: Record<string, string>[];
  readonly values: Record<string, string>;
}

const PROLOG = /^\uFEFF?\s*(?:<\?xml\s[^?]*\?>\s*)?<WAPI\s*>\s*<REPLY\b/iy;
const ATTR = /\s+([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)'|([^\s"'<>/=]+))/y;
const START_END = /\s*(\/?)>/y;
const LEAF = /\s*<([A-Za-z_][\w.-]*)\s*(?:\/>|>([^<]*)<\/\1\s*>)/y;
const ITEM_OPEN = /\s*<ITEM\s*>/iy;
const ITEM_CLOSE = /\s*<\/ITEM\s*>/iy;
const REPLY_CLOSE = /\s*<\/REPLY\s*>/iy;
const TAIL = /\s*<\/WAPI\s*>\s*$/iy;
const ENTITY = /&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** XML text to a string: line ends to LF, then entities; undefined for anything unexpected. */
function decode(raw: string): string | undefined {
  let text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  if (!text.includes('&')) return text;
  let ok = true;
  text = text.replace(ENTITY, (_m, body: string) => {
    if (body[0] !== '#') return NAMED[body] as string;
    const cp = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    if (!isXmlChar(cp)) ok = false;
    return ok ? String.fromCodePoint(cp) : '';
  });
  // A bare `&` left over is not well-formed: let the full parser say so.
  return ok && !/&(?!amp;|lt;|gt;|quot;|apos;)/.test(raw.replace(ENTITY, '')) ? text : undefined;
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

export function scanReply(xml: string): ScannedReply | undefined {
  if (!at(PROLOG, xml, 0)) return undefined;
  let pos = PROLOG.lastIndex;
  const attributes: Record<string, string> = {};
  for (let m = at(ATTR, xml, pos); m; m = at(ATTR, xml, pos)) {
    const value = decode(m[2] ?? m[3] ?? m[4] ?? '');
    if (value === undefined) return undefined;
    attributes[(m[1] as string).toUpperCase()] = value;
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
      if (at(ITEM_OPEN, xml, pos)) {
        const item: Record<string, string> = {};
        const after = leaves(xml, ITEM_OPEN.lastIndex, item);
        if (after === undefined || !at(ITEM_CLOSE, xml, after)) return undefined;
        items.push(item);
        pos = ITEM_CLOSE.lastIndex;
        continue;
      }
      if (!at(REPLY_CLOSE, xml, pos)) return undefined;
      pos = REPLY_CLOSE.lastIndex;
      break;
    }
  }
  return at(TAIL, xml, pos) ? { attributes, items, values } : undefined;
}
