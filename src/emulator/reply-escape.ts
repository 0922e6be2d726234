/**
 * Escaping of values for the emulator's replies: standard XML, `"` too since values also go in
 * attributes (ERROR_STR), and CR as a reference, because an XML parser turns a raw CR into LF.
 */
const REPLY_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };

/**
 * Escape a value for an ISO-8859-1 reply: XML escapes, and every character outside Latin-1 as
 * a numeric character reference (README "Protocol notes", "Transport and text").
 */
export function escapeLatin1(value: string): string {
  let out = value.replace(/[&<>"\r]/g, (c) => REPLY_ESCAPES[c] as string);
  if (/[^\u0000-\u00FF]/.test(out)) {
    out = out.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\u0000-\u00FF]/g, (c) => `&#${c.codePointAt(0)};`);
  }
  return out;
}
