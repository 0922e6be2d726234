/**
 * Read `xml_query` from a form body (or query string) the way PHP does: pairs split on `&`,
 * `+` is a space, `%XX` a byte, invalid escapes left as they are, the last value wins. So a
 * client that posts the XML without URL-encoding it (`xml_query=<WAPI>...`) works too, as it
 * does against 8x8 (DECISIONS.md "Transport"). A multipart/form-data body (what a browser or
 * `fetch` with FormData sends) is read as PHP reads it too.
 */
export function readXmlQuery(form: string, contentType?: string): string | undefined {
  if (contentType !== undefined && /^\s*multipart\/form-data/i.test(contentType)) return readMultipart(form, contentType);
  let found: string | undefined;
  let start = 0;
  while (start <= form.length) {
    let end = form.indexOf('&', start);
    if (end === -1) end = form.length;
    const eq = form.indexOf('=', start);
    if (eq !== -1 && eq < end && decode(form.slice(start, eq)) === 'xml_query') found = decode(form.slice(eq + 1, end));
    start = end + 1;
  }
  return found;
}

function decode(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  if (!plus.includes('%')) return Buffer.from(plus, 'latin1').toString('utf8');
  // The common case, natively; the byte loop below is for bodies with stray `%` or raw bytes.
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7F]/.test(plus)) {
    try {
      return decodeURIComponent(plus);
    } catch {
      // an invalid escape: PHP keeps it as it is
    }
  }
  const bytes: number[] = [];
  for (let i = 0; i < plus.length; i++) {
    const c = plus.charCodeAt(i);
    if (c === 0x25 && /^[0-9A-Fa-f]{2}$/.test(plus.slice(i + 1, i + 3))) {
      bytes.push(parseInt(plus.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(c & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The `xml_query` part of a multipart body (the body as latin1 text, so bytes are kept). */
function readMultipart(body: string, contentType: string): string | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  const marker = boundary ? `--${boundary[1] ?? boundary[2]}` : undefined;
  if (marker === undefined) return undefined;
  let found: string | undefined;
  for (const part of body.split(marker).slice(1)) {
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd === -1) continue;
    const headers = part.slice(0, headerEnd);
    if (!/content-disposition:[^\r\n]*\bname="?xml_query"?(?:[;\s\r]|$)/i.test(headers)) continue;
    // The value ends with the CRLF that precedes the next boundary.
    const value = part.slice(headerEnd + 4).replace(/\r\n$/, '');
    found = Buffer.from(value, 'latin1').toString('utf8');
  }
  return found;
}
