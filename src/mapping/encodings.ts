/**
 * Encoding names a mapping's `csv.encoding` takes: `auto` (the default: a byte-order mark, else
 * UTF-8 when the whole file is valid UTF-8, else windows-1252) or any encoding iconv-lite reads
 * (utf-8, utf-16le, utf-16be, latin1, windows-1252, and the other code pages: windows-1250,
 * iso-8859-15, cp437, ...).
 */
import iconv from 'iconv-lite';

export const COMMON_ENCODINGS = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252'] as const;

/** The canonical spelling of an encoding name. */
export function canonicalEncoding(name: string): string {
  const n = name.trim().toLowerCase().replace(/_/g, '-');
  if (n === 'utf8') return 'utf-8';
  if (n === 'utf16le' || n === 'ucs2' || n === 'ucs-2') return 'utf-16le';
  if (n === 'utf16be') return 'utf-16be';
  if (n === 'iso-8859-1' || n === 'iso8859-1' || n === 'latin-1') return 'latin1';
  if (n === 'cp1252' || n === 'win1252') return 'windows-1252';
  return n;
}

/** Whether the tool can read an encoding (auto, or any name iconv-lite knows). */
export function isKnownEncoding(name: string): boolean {
  const n = canonicalEncoding(name);
  return n === 'auto' || iconv.encodingExists(n);
}
