/**
 * Resolve numeric character references (`&#19990;`, `&#x1F600;`) in raw XML before parsing.
 * Doing it up front is much cheaper than the parser's HTML-entity pass, and safe: a reference
 * inside an escaped ampersand (`&amp;#19990;`) does not match, and the markup characters come
 * back as their named entities so no reference can change the structure.
 */
const MARKUP: Record<number, string> = { 0x26: '&amp;', 0x3c: '&lt;', 0x3e: '&gt;', 0x22: '&quot;', 0x27: '&apos;' };

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * Stands in for a CR written as `&#13;`: a raw CR would be turned into LF by the parser's
 * line-end handling, so it passes the parser as U+0001 (which XML 1.0 text cannot hold) and is
 * put back with restoreCr.
 */
export const CR_SENTINEL = '\u0001';

export function resolveCharRefs(xml: string): string {
  if (!xml.includes('&#')) return xml;
  return xml.replace(/&#(x[0-9A-Fa-f]{1,6}|[0-9]{1,7});/g, (ref, body: string) => {
    const cp = body[0] === 'x' ? parseInt(body.slice(1), 16) : parseInt(body, 10);
    if (cp === 0xd) return CR_SENTINEL;
    if (!isXmlChar(cp)) return ref;
    return MARKUP[cp] ?? String.fromCodePoint(cp);
  });
}

export function restoreCr(value: string): string {
  return value.includes(CR_SENTINEL) ? value.replaceAll(CR_SENTINEL, '\r') : value;
}
