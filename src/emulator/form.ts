/**
 * Read `xml_query` from a form body (or query string) the way PHP does: pairs split on `&`,
 * `+` is a space, `%XX` a byte, invalid escapes left as they are, the last value wins. So a
 * client that posts the XML without URL-encoding it (`xml_query=<WAPI>...`) works too, as it
 * does against 8x8 (README, "Readings of the guide"). A multipart/form-data body (what a
 * browser or `fetch` with FormData sends) is read as PHP reads it too.
 *
 * The body comes in as bytes and the value goes out as the bytes it holds, for
 * request-encoding.ts to decode as the XML declaration says. Every scan here moves forward
 * only: a body built to make a parser rescan (four million `&`, a part header repeated a
 * million times) costs the same as any other body of its size.
 */
export function readXmlQuery(form: Buffer, contentType?: string): Buffer | undefined {
  if (contentType !== undefined && /^\s*multipart\/form-data/i.test(contentType)) return readMultipart(form, contentType);
  let found: Buffer | undefined;
  let start = 0;
  // The next `=` at or after `start`, found once and reused until a pair passes it.
  let eq = form.indexOf(EQUALS);
  while (start <= form.length) {
    let end = form.indexOf(AMPERSAND, start);
    if (end === -1) end = form.length;
    if (eq !== -1 && eq < start) eq = form.indexOf(EQUALS, start);
    if (eq === -1) break;
    if (eq < end && isXmlQueryName(form.subarray(start, eq))) found = decode(form.subarray(eq + 1, end));
    start = end + 1;
  }
  return found;
}

// Buffers rather than strings throughout: V8's optimised String.prototype.indexOf was seen to
// turn linear per call on a large body (two million `&` then took a minute), Buffer's does not.
const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PERCENT = 0x25;
const PLUS = 0x2b;
const NAME = 'xml_query';
const CRLF = Buffer.from('\r\n', 'latin1');

/** Whether a form name decodes to `xml_query`, without decoding names that cannot. */
function isXmlQueryName(name: Buffer): boolean {
  if (name.length === NAME.length) return name.toString('latin1') === NAME;
  // An encoded name is at most three characters per letter (`xml%5Fquery`).
  if (name.length > NAME.length * 3) return false;
  return decode(name).toString('latin1') === NAME;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Percent-decoding into bytes: `+` a space, `%XX` a byte, a stray `%` kept as it is. */
function decode(text: Buffer): Buffer {
  if (text.indexOf(PERCENT) === -1 && text.indexOf(PLUS) === -1) return text;
  const out = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as number;
    const hi = c === PERCENT && i + 2 < text.length ? hexDigit(text[i + 1] as number) : -1;
    const lo = hi === -1 ? -1 : hexDigit(text[i + 2] as number);
    if (lo !== -1) {
      out[n++] = hi * 16 + lo;
      i += 2;
    } else {
      out[n++] = c === PLUS ? 0x20 : c;
    }
  }
  return out.subarray(0, n);
}

/** The longest header line a part may have; PHP's own limit is of the same order. */
const MAX_PART_HEADER = 8 * 1024;

/**
 * The `xml_query` part of a multipart body. Part headers are read line by line, each at most
 * MAX_PART_HEADER bytes; a part whose headers are longer is skipped.
 */
function readMultipart(body: Buffer, contentType: string): Buffer | undefined {
  const boundary = /boundary=(?:"([^"]{1,200})"|([^\s;]{1,200}))/i.exec(contentType);
  if (!boundary) return undefined;
  const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}`, 'latin1');
  let found: Buffer | undefined;
  let at = body.indexOf(marker);
  while (at !== -1) {
    const partStart = at + marker.length;
    const next = body.indexOf(marker, partStart);
    const value = partValue(body, partStart, next === -1 ? body.length : next);
    if (value !== undefined) found = value;
    at = next;
  }
  return found;
}

/** The next CRLF in body[from, end), looking no further than a header line may reach. */
function lineEnd(body: Buffer, from: number, end: number): number {
  const at = body.subarray(from, Math.min(end, from + MAX_PART_HEADER + 2)).indexOf(CRLF);
  return at === -1 ? -1 : from + at;
}

function partValue(body: Buffer, start: number, end: number): Buffer | undefined {
  // The boundary line ends with CRLF; then header lines until an empty one.
  let from = lineEnd(body, start, end);
  if (from === -1) return undefined;
  from += 2;
  let named = false;
  for (;;) {
    const eol = lineEnd(body, from, end);
    if (eol === -1) return undefined;
    if (eol === from) break;
    if (isXmlQueryDisposition(body.toString('latin1', from, eol))) named = true;
    from = eol + 2;
  }
  if (!named) return undefined;
  const valueStart = from + 2;
  // The value ends with the CRLF that precedes the next boundary.
  const valueEnd = end - 2 >= valueStart && body[end - 2] === 0x0d && body[end - 1] === 0x0a ? end - 2 : end;
  return body.subarray(valueStart, valueEnd);
}

/** `Content-Disposition: form-data; name="xml_query"`, read parameter by parameter. */
function isXmlQueryDisposition(header: string): boolean {
  const colon = header.indexOf(':');
  if (colon === -1 || header.slice(0, colon).trim().toLowerCase() !== 'content-disposition') return false;
  for (const param of header.slice(colon + 1).split(';')) {
    const eq = param.indexOf('=');
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'name') continue;
    const value = param.slice(eq + 1).trim();
    if ((value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value) === NAME) return true;
  }
  return false;
}
