/**
 * The bytes of an input file before they are text: which encoding they are in, and a
 * fingerprint of the whole file. One streaming pass, before any request.
 *
 * Found in review: a Latin-1 file read as UTF-8 put `J\uFFFDrgen` into the CRM with exit 0, and a
 * Windows "CSV" (windows-1252) read as latin1 turned `O’Brien` into `O\u0092Brien`. So the default,
 * `auto`, takes a byte-order mark when there is one, else UTF-8 when the whole file is valid UTF-8,
 * else windows-1252, and says why; an explicit encoding the bytes do not fit stops the run.
 */
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { ConfigError } from '../protocol/errors.js';
import { firstInvalidUtf8 } from '../protocol/utf8.js';
import { canonicalEncoding } from '../mapping/encodings.js';

export interface InputInspection {
  /** The encoding the file is read with (an iconv-lite name: utf-8, utf-16le, windows-1252...). */
  readonly encoding: string;
  /** Why `auto` chose it, for a person; undefined when there is nothing to say (plain UTF-8). */
  readonly note: string | undefined;
  /** `size:sha256` of the whole file: a resumed run must read the very same bytes. */
  readonly fingerprint: string;
  readonly size: number;
}

/** Bytes windows-1252 leaves undefined (iconv-lite would turn them into U+FFFD). */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

const BOMS: ReadonlyArray<readonly [encoding: string, bytes: readonly number[]]> = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

function bomOf(head: Buffer): string | undefined {
  return BOMS.find(([, bytes]) => bytes.every((b, i) => head[i] === b))?.[0];
}


/**
 * UTF-8, the common case, decoded by Node itself: iconv-lite's decoder queued large strings
 * between itself and csv-parse, and a million-row import peaked some 60 MB higher for it.
 */
function utf8Text(file: string, bom: boolean): Readable {
  const source = createReadStream(file, { highWaterMark: 64 * 1024, encoding: 'utf8' });
  if (!bom) return source;
  let first = true;
  const strip = new Transform({
    decodeStrings: false,
    encoding: 'utf8',
    transform(chunk: string, _encoding, done) {
      if (first && chunk.length > 0) {
        first = false;
        done(null, chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
      } else done(null, chunk);
    },
  });
  source.on('error', (error) => strip.destroy(error));
  return source.pipe(strip);
}

/**
 * How many leading bytes of `bytes` end on a character boundary: all of them, unless the last
 * one to three bytes start a multi-byte character whose rest is still to come.
 */
function completeUtf8Prefix(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back] as number;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

function countNewlines(bytes: Buffer, end = bytes.length): number {
  let n = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1 && at < end; at = bytes.indexOf(0x0a, at + 1)) n++;
  return n;
}

/**
 * Read the whole file once: hash it, find its BOM, and check its bytes against the encoding
 * asked for. `auto` resolves here. Throws a ConfigError (exit 2, before any request) when the
 * bytes cannot be text in the encoding: invalid UTF-8 under `utf-8`, a byte windows-1252 does
 * not define under `windows-1252` (or under `auto` once UTF-8 is ruled out).
 */
export async function inspectInput(file: string, encoding: string): Promise<InputInspection> {
  const asked = canonicalEncoding(encoding);
  const hash = createHash('sha256');
  let size = 0;
  let lines = 1;
  let found: string | undefined;
  let utf8Error: number | undefined;
  let cp1252Error: { line: number; byte: number } | undefined;
  let carry: Buffer = Buffer.alloc(0);
  const source = createReadStream(file, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (size === 0) found = bomOf(chunk);
      size += chunk.length;
      hash.update(chunk);
      const checkUtf8 = (asked === 'auto' || asked === 'utf-8') && utf8Error === undefined && (found === undefined || found === 'utf-8');
      if (checkUtf8) {
        // Checked, not decoded: decoding made a string per chunk only to throw it away, and
        // those strings were most of a big import's peak memory. A character split across two
        // chunks is held back (`carry`) and checked with the next one.
        const bytes = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
        const cut = completeUtf8Prefix(bytes);
        if (!isUtf8(bytes.subarray(0, cut))) {
          const at = firstInvalidUtf8(bytes);
          utf8Error = lines - countNewlines(carry) + countNewlines(bytes, at);
        }
        carry = Buffer.from(bytes.subarray(cut));
      }
      if ((asked === 'auto' || asked === 'windows-1252') && cp1252Error === undefined && found === undefined) {
        for (const byte of CP1252_UNDEFINED) {
          const at = chunk.indexOf(byte);
          if (at !== -1 && (cp1252Error === undefined || countNewlines(chunk, at) + lines < cp1252Error.line)) {
            cp1252Error = { line: lines + countNewlines(chunk, at), byte };
          }
        }
      }
      lines += countNewlines(chunk);
    }
    // A file that ends inside a multi-byte character.
    if ((asked === 'auto' || asked === 'utf-8') && utf8Error === undefined && (found === undefined || found === 'utf-8') && carry.length > 0) utf8Error = lines;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`cannot read ${file}: ${code}`, 'give the path of a readable CSV file');
  }
  const fingerprint = `${size}:${hash.digest('hex')}`;
  const hex = (byte: number) => `0x${byte.toString(16).toUpperCase()}`;

  if (asked === 'utf-8' && utf8Error !== undefined) {
    throw new ConfigError(
      `${file}: not valid UTF-8 at line ${utf8Error}, but the mapping says csv.encoding: utf-8`,
      'the file is probably windows-1252 (Excel on Windows) or latin1: set csv.encoding to it, or to auto',
      'CSV_INVALID',
    );
  }
  if (asked === 'windows-1252' && cp1252Error !== undefined) {
    throw new ConfigError(
      `${file}: byte ${hex(cp1252Error.byte)} at line ${cp1252Error.line} is not a character in windows-1252`,
      'set csv.encoding to the encoding the file was written in (e.g. windows-1250, cp437, latin1)',
      'CSV_INVALID',
    );
  }
  if (asked !== 'auto') return { encoding: asked, note: undefined, fingerprint, size };
  if (found !== undefined) {
    return { encoding: found, note: found === 'utf-8' ? undefined : `read as ${found}: the file starts with its byte-order mark`, fingerprint, size };
  }
  if (utf8Error === undefined) return { encoding: 'utf-8', note: undefined, fingerprint, size };
  if (cp1252Error !== undefined) {
    throw new ConfigError(
      `${file}: not valid UTF-8 at line ${utf8Error}, and byte ${hex(cp1252Error.byte)} at line ${cp1252Error.line} is not a character in windows-1252 either`,
      'set csv.encoding to the encoding the file was written in (e.g. windows-1250, iso-8859-15, cp437)',
      'CSV_INVALID',
    );
  }
  return {
    encoding: 'windows-1252',
    note: `read as windows-1252: not valid UTF-8 at line ${utf8Error} (set csv.encoding to say which encoding the file is in)`,
    fingerprint,
    size,
  };
}

/** The file as text in a known encoding: a stream of strings for csv-parse. */
export function decodedStream(file: string, encoding: string, bom: boolean): Readable {
  if (canonicalEncoding(encoding) === 'utf-8') return utf8Text(file, bom);
  const source = createReadStream(file, { highWaterMark: 256 * 1024 });
  const decoder = iconv.decodeStream(encoding, { stripBOM: bom }) as unknown as Transform;
  source.on('error', (error) => decoder.destroy(error));
  return source.pipe(decoder);
}

/** Text in an output encoding (reports are written as their input was read). */
export function encodeText(text: string, encoding: string): Buffer {
  return iconv.encode(text, encoding, { addBOM: false });
}
