import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { E } from './api-error.js';
import { firstInvalidUtf8 } from '../protocol/utf8.js';

/**
 * The bytes of a request as text, in the encoding its XML declaration names (UTF-8 when it
 * names none, as XML 1.0 says), or the one a gateway request's Content-Type charset names,
 * which takes precedence as RFC 7303 has it. Bytes that are not valid in that encoding are
 * refused, never replaced: a stored U+FFFD would be a silent wrong value.
 */

type Decoder = (bytes: Buffer) => string;

// windows-1252 leaves these five bytes undefined.
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

const DECODERS: ReadonlyArray<[RegExp, string, Decoder]> = [
  [/^utf-?8$/, 'UTF-8', (b) => b.toString('utf8')],
  [/^(iso[-_]?8859[-_]1|iso[-_]ir[-_]100|latin-?1|l1|cp819|ibm819)$/, 'ISO-8859-1', (b) => b.toString('latin1')],
  [/^(windows-1252|cp-?1252)$/, 'windows-1252', (b) => iconv.decode(b, 'windows-1252')],
  [/^(us-ascii|ascii|iso646-us)$/, 'US-ASCII', (b) => b.toString('latin1')],
];


function firstInvalid(name: string, bytes: Buffer): number {
  if (name === 'UTF-8') return isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes);
  if (name === 'US-ASCII') return bytes.findIndex((b) => b > 0x7f);
  if (name === 'windows-1252') return bytes.findIndex((b) => CP1252_UNDEFINED.has(b));
  return -1;
}

function lineAt(bytes: Buffer, at: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < at; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

const DECLARED = /^<\?xml\s[^>]{0,200}?\bencoding\s*=\s*["']([A-Za-z][\w.-]{0,40})["']/;

/** The encoding a request's XML declaration names, if any (the declaration is ASCII). */
function declaredEncoding(bytes: Buffer): string | undefined {
  return DECLARED.exec(bytes.subarray(0, 300).toString('latin1'))?.[1];
}

/**
 * Decode a request. `charset` is the Content-Type parameter of a gateway request. Throws the
 * guide's "XML string not correct" error (code 1) for an encoding the emulator cannot read and
 * for bytes invalid in the encoding chosen.
 */
export function decodeRequest(input: Buffer, charset?: string): string {
  // A UTF-8 byte order mark is allowed before the declaration.
  const bytes = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? input.subarray(3) : input;
  const label = charset ?? declaredEncoding(bytes) ?? 'UTF-8';
  const found = DECODERS.find(([re]) => re.test(label.toLowerCase()));
  if (!found) {
    throw E.xmlIncorrect(`XML string not correct. Error at line '1': 'the encoding '${label}' is not supported (use UTF-8, ISO-8859-1 or windows-1252)'`);
  }
  const [, name, decode] = found;
  const bad = firstInvalid(name, bytes);
  if (bad !== -1) {
    const hex = (bytes[bad] as number).toString(16).toUpperCase().padStart(2, '0');
    throw E.xmlIncorrect(`XML string not correct. Error at line '${lineAt(bytes, bad)}': 'byte 0x${hex} is not valid ${name}'`);
  }
  return decode(bytes);
}
