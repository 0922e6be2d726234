/**
 * The characters XML 1.0 can carry (section 2.2): tab, LF, CR and everything from U+0020 on,
 * except unpaired surrogates and U+FFFE/U+FFFF. Nothing else can travel in a request or a reply,
 * escaped or not, so the client refuses such a value before sending (README "Protocol notes",
 * "Values XML cannot carry"), the emulator refuses a request that holds one, and both reply
 * readers refuse a reply that does. One definition for all of them.
 */

/** Whether a code point is a character an XML 1.0 document may hold. */
export function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** The UTF-16 code units that are not XML characters, a lone surrogate being one of them. */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every code unit NOT_XML_CHAR may match, paired surrogates included: a cheap first look. */
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Where the first character XML cannot carry stands, and which it is; undefined when none. */
export function nonXmlCharAt(value: string): { readonly index: number; readonly char: string } | undefined {
  // Whole reply bodies come through here: one character class scans a megabyte several times
  // faster than the alternation with look-arounds, and most text has nothing it matches.
  if (!SUSPECT.test(value)) return undefined;
  const match = NOT_XML_CHAR.exec(value);
  if (!match) return undefined;
  return { index: match.index, char: `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` };
}

/** The first character of a value that XML cannot carry, as `U+0001`, or undefined. */
export function findNonXmlChar(value: string): string | undefined {
  return nonXmlCharAt(value)?.char;
}
