import iconv from 'iconv-lite';
import { WapiBulkError } from './errors.js';

/**
 * Reply bodies to text in the charset the reply declares. /WAPI/wapi.php answers ISO-8859-1
 * (README "Protocol notes"); a server may declare another charset, and a reply read in the wrong
 * one would change every accented value without a word, so the declaration is honoured and a
 * body that is not valid in its charset is refused.
 *
 * Which declaration counts, first match wins (RFC 7303 section 3, with one reading of ours):
 * 1. a byte-order mark;
 * 2. `charset=` of a Content-Type that says the body is XML (text/xml, application/xml, +xml);
 * 3. the XML declaration's `encoding`;
 * 4. `charset=` of any other Content-Type (PHP's default `text/html; charset=UTF-8` is about
 *    the page PHP thought it wrote, so it yields to the document's own declaration);
 * 5. ISO-8859-1.
 */

const DECLARATION = /^\s*<\?xml\s[^?]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/;
const CHARSET_PARAM = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;]+))/i;
const XML_MEDIA_TYPE = /^\s*(?:text\/xml|application\/xml|[\w.+-]+\/[\w.-]+\+xml)\s*(?:;|$)/i;

const LATIN1 = new Set(['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'latin-1', 'l1', 'iso-ir-100', 'cp819', 'ibm819']);
const UTF8 = new Set(['utf-8', 'utf8']);
const ASCII = new Set(['us-ascii', 'ascii', 'iso646-us']);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function badCharset(message: string): WapiBulkError {
  return new WapiBulkError('WAPI_BAD_REPLY', message, {
    hint: 'the server sent text wapi-bulk cannot read safely; check that --url points at the CRM API',
  });
}

/** The charset a reply body declares, lower-cased; `iso-8859-1` when it declares none. */
export function replyCharset(body: Buffer, contentType?: string): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  const param = contentType === undefined ? undefined : CHARSET_PARAM.exec(contentType);
  const headerCharset = param ? (param[1] ?? param[2] ?? '').trim().toLowerCase() : '';
  if (headerCharset !== '' && XML_MEDIA_TYPE.test(contentType as string)) return headerCharset;
  // The declaration is ASCII in every charset this reads (a UTF-16 body has its BOM).
  const declared = DECLARATION.exec(body.subarray(0, 256).toString('latin1'))?.[1];
  if (declared !== undefined) return declared.toLowerCase();
  return headerCharset !== '' ? headerCharset : 'iso-8859-1';
}

/** A reply body as text, in the charset it declares; WAPI_BAD_REPLY when that cannot be done. */
export function decodeReply(body: Buffer, contentType?: string): string {
  const charset = replyCharset(body, contentType);
  if (LATIN1.has(charset)) return body.toString('latin1');
  if (UTF8.has(charset)) {
    try {
      return utf8.decode(body);
    } catch {
      throw badCharset("the server's reply declares UTF-8 but holds bytes that are not UTF-8");
    }
  }
  if (ASCII.has(charset)) {
    if (body.some((b) => b > 0x7f)) throw badCharset("the server's reply declares US-ASCII but holds bytes above 0x7F");
    return body.toString('latin1');
  }
  if (!iconv.encodingExists(charset)) throw badCharset(`the server's reply declares the charset "${charset}", which wapi-bulk cannot read`);
  return iconv.decode(body, charset);
}
