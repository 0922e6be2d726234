/**
 * Read `xml_query` from a form body (or query string) the way PHP does: pairs split on `&`,
 * `+` is a space, `%XX` a byte, invalid escapes left as they are, the last value wins. So a
 * client that posts the XML without URL-encoding it (`xml_query=<WAPI>...`) works too, as it
 * does against 8x8 (README, "Readings of the guide"). A multipart/form-data body (what a
 * browser or `fetch` with FormData sends) is read as PHP reads it too.
 *
 * The body comes in as latin1 text, so each character is one byte; the value goes out as the
 * bytes it holds, for request-encoding.ts to decode as the XML declaration says. Every scan
 * here moves forward only: a body built to make a parser rescan (four million `&`, a part
 * header repeated a million times) costs the same as any other body of its size.
 */
export function readXmlQuery(form: string, contentType?: string): Buffer | undefined {
  if (contentType !== undefined && /^\s*multipart\/form-data/i.test(contentType)) return readMultipart(form, contentType);
  let found: Buffer | undefined;
  let start = 0;
  // The next `=` at or after `start`, found once and reused until a pair passes it.
  let eq = form.indexOf('=');
  while (start <= form.length) {
    let end = form.indexOf('&', start);
    if (end === -1) end = form.length;
    if (eq !== -1 && eq < start) eq = form.indexOf('=', start);
    if (eq === -1) break;
    if (eq < end && isXmlQueryName(form, start, eq)) found = decode(form.slice(eq + 1, end));
    start = end + 1;
  }
  return found;
}

const NAME = 'xml_query';

/** Whether form[start, eq) decodes to `xml_query`, without decoding names that cannot. */
function isXmlQueryName(form: string, start: number, eq: number): boolean {
  if (eq - start === NAME.length) return form.startsWith(NAME, start);
  // An encoded name is at most three characters per letter (`xml%5Fquery`).
  if (eq - start > NAME.length * 3) return false;
  return decode(form.slice(start, eq)).toString('latin1') === NAME;
}

const HEX = /^[0-9A-Fa-f]{2}$/;

/** Percent-decoding into bytes: `+` a space, `%XX` a byte, a stray `%` kept as it is. */
function decode(text: string): Buffer {
  if (!text.includes('%')) return Buffer.from(text.includes('+') ? text.replace(/\+/g, ' ') : text, 'latin1');
  const out = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && HEX.test(text.slice(i + 1, i + 3))) {
      out[n++] = parseInt(text.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      out[n++] = c === 0x2b ? 0x20 : c & 0xff;
    }
  }
  return out.subarray(0, n);
}

/** The longest header line a part may have; PHP's own limit is of the same order. */
export const MAX_PART_HEADER = 8 * 1024;

/**
 * The `xml_query` part of a multipart body (as latin1 text). Part headers are read line by
 * line, each at most MAX_PART_HEADER characters; a part whose headers are longer is skipped.
 */
function readMultipart(body: string, contentType: string): Buffer | undefined {
  const boundary = /boundary=(?:"([^"]{1,200})"|([^\s;]{1,200}))/i.exec(contentType);
  if (!boundary) return undefined;
  const marker = `--${boundary[1] ?? boundary[2]}`;
  let found: Buffer | undefined;
  let at = body.indexOf(marker);
  while (at !== -1) {
    const partStart = at + marker.length;
    const next = body.indexOf(marker, partStart);
    const partEnd = next === -1 ? body.length : next;
    const value = partValue(body, partStart, partEnd);
    if (value !== undefined) found = value;
    at = next;
  }
  return found;
}

/** The next CRLF in body[from, end), looking no further than a header line may reach. */
function lineEnd(body: string, from: number, end: number): number {
  const window = body.slice(from, Math.min(end, from + MAX_PART_HEADER + 2));
  const at = window.indexOf('\r\n');
  return at === -1 ? -1 : from + at;
}

function partValue(body: string, start: number, end: number): Buffer | undefined {
  // The boundary line ends with CRLF; then header lines until an empty one.
  let from = lineEnd(body, start, end);
  if (from === -1) return undefined;
  from += 2;
  let named = false;
  for (;;) {
    const eol = lineEnd(body, from, end);
    if (eol === -1) return undefined;
    if (eol === from) break;
    if (isXmlQueryDisposition(body.slice(from, eol))) named = true;
    from = eol + 2;
  }
  if (!named) return undefined;
  const valueStart = from + 2;
  // The value ends with the CRLF that precedes the next boundary.
  const valueEnd = end - 2 >= valueStart && body.startsWith('\r\n', end - 2) ? end - 2 : end;
  return Buffer.from(body.slice(valueStart, valueEnd), 'latin1');
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
