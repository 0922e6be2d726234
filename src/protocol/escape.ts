/**
 * Escaping of values for WAPI requests. The guide asks that an apostrophe be sent as
 * `&rsquot;` (DECISIONS.md "Transport"); `&`, `<` and `>` get the standard XML escapes, so no
 * value can change the structure of the request: `</FIRSTNAME><ACCOUNTNUM>1` stays data.
 */

// XML 1.0 can carry tab, LF, CR and everything from U+0020 on, except lone surrogates and
// U+FFFE/U+FFFF. Anything else cannot be sent at all, escaped or not.
 
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every character NOT_XML_CHAR may match, paired surrogates included: a cheap first look. */
 
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** The first character of a value that XML cannot carry, as `U+0001`, or undefined. */
export function findNonXmlChar(value: string): string | undefined {
  // Whole reply bodies come through here: one character class scans a megabyte several times
  // faster than the alternation with look-arounds.
  if (!SUSPECT.test(value)) return undefined;
  const match = NOT_XML_CHAR.exec(value);
  if (!match) return undefined;
  return `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Line ends to LF: the server stores LF anyway (DECISIONS.md "Line ends"). */
export function normaliseLineEnds(value: string): string {
  return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&rsquot;' };

export function escapeValue(value: string): string {
  return value.replace(/[&<>']/g, (c) => ESCAPES[c] as string);
}

/**
 * Escaping for replies (the emulator): standard XML, `"` too since values also go in attributes,
 * and CR as a reference, because an XML parser turns a raw CR into LF.
 */
const REPLY_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };

/**
 * Escape a value for an ISO-8859-1 reply: XML escapes, and every character outside Latin-1 as
 * a numeric character reference (DECISIONS.md "Transport").
 */
export function escapeLatin1(value: string): string {
  let out = value.replace(/[&<>"\r]/g, (c) => REPLY_ESCAPES[c] as string);
   
  if (/[^\u0000-\u00FF]/.test(out)) {
    out = out.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\u0000-\u00FF]/g, (c) => `&#${c.codePointAt(0)};`);
  }
  return out;
}

const TAG_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Whether a tag name is safe to write as an element name. */
export function isValidTagName(name: string): boolean {
  return TAG_NAME.test(name);
}
