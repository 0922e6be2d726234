/**
 * Resolve numeric character references (`&#19990;`, `&#x1F600;`) in raw XML before parsing.
 * Doing it up front is much cheaper than the parser's HTML-entity pass, and safe: a reference
 * inside an escaped ampersand (`&amp;#19990;`) does not match, and the markup characters come
 * back as their named entities so no reference can change the structure. Inside a CDATA
 * section a reference is plain text, so sections are left as they are.
 */
import { isXmlChar } from './xml-chars.js';

const MARKUP: Record<number, string> = { 0x26: '&amp;', 0x3c: '&lt;', 0x3e: '&gt;', 0x22: '&quot;', 0x27: '&apos;' };

/**
 * Stands in for a CR written as `&#13;`: a raw CR would be turned into LF by the parser's
 * line-end handling, so it passes the parser as U+0001 (which XML 1.0 text cannot hold) and is
 * put back with restoreCr. (The emulator refuses a raw U+0001 in requests, so none is stored.)
 */
export const CR_SENTINEL = '\u0001';

const CDATA_START = '<![CDATA[';

/** Apply `fn` to the text outside CDATA sections. */
export function mapOutsideCdata(xml: string, fn: (text: string) => string): string {
  if (!xml.includes(CDATA_START)) return fn(xml);
  let out = '';
  let from = 0;
  for (let start = xml.indexOf(CDATA_START); start !== -1; start = xml.indexOf(CDATA_START, from)) {
    const end = xml.indexOf(']]>', start + CDATA_START.length);
    const stop = end === -1 ? xml.length : end + 3;
    out += fn(xml.slice(from, start)) + xml.slice(start, stop);
    from = stop;
  }
  return out + fn(xml.slice(from));
}

function replaceRefs(text: string): string {
  return text.replace(/&#(x[0-9A-Fa-f]{1,6}|[0-9]{1,7});/g, (ref, body: string) => {
    const cp = body[0] === 'x' ? parseInt(body.slice(1), 16) : parseInt(body, 10);
    if (cp === 0xd) return CR_SENTINEL;
    if (!isXmlChar(cp)) return ref;
    return MARKUP[cp] ?? String.fromCodePoint(cp);
  });
}

export function resolveCharRefs(xml: string): string {
  if (!xml.includes('&#')) return xml;
  return mapOutsideCdata(xml, replaceRefs);
}

const CHAR_REF = /&#(x[0-9A-Fa-f]+|[0-9]+);/g;

/**
 * The first numeric character reference outside CDATA that names no XML character (`&#1;`,
 * `&#xFFFE;`, `&#1114112;`), or undefined. XML forbids them as it forbids the raw characters
 * (a well-formedness constraint, "Legal Character"), and left to the parser one vanished or
 * stayed as text, a changed value nobody would see: the reply readers refuse them, as the
 * emulator's request reader does.
 */
export function findBadCharRef(xml: string): string | undefined {
  if (!xml.includes('&#')) return undefined;
  let bad: string | undefined;
  mapOutsideCdata(xml, (text) => {
    if (bad !== undefined) return '';
    for (const m of text.matchAll(CHAR_REF)) {
      const body = m[1] as string;
      const cp = body[0] === 'x' ? parseInt(body.slice(1), 16) : parseInt(body, 10);
      if (!isXmlChar(cp)) {
        bad = m[0];
        break;
      }
    }
    return '';
  });
  return bad;
}

export function restoreCr(value: string): string {
  return value.includes(CR_SENTINEL) ? value.replaceAll(CR_SENTINEL, '\r') : value;
}
