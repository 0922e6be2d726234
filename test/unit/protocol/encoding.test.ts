/**
 * Text both ways, over every class of character XML 1.0 can carry
 * (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]):
 * - requests: UTF-8 inside the form encoding, characters written as they are;
 * - replies: ISO-8859-1 bodies, everything outside Latin-1 as a numeric character reference
 *   (`&#19990;`, README, "Protocol notes", "Transport and text"), written by escapeLatin1 and read by parseReply.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeLatin1 } from '../../../src/emulator/reply-escape.js';
import { findNonXmlChar } from '../../../src/protocol/xml-chars.js';
import { parseReply } from '../../../src/protocol/reply.js';
import { buildRequest, encodeForm } from '../../../src/protocol/request.js';

const creds = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };

function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

/** Every code point of [from, to], in values of at most `size` code points. */
function chunks(from: number, to: number, size = 2048): string[] {
  const out: string[] = [];
  for (let start = from; start <= to; start += size) {
    const end = Math.min(to, start + size - 1);
    const cps: number[] = [];
    for (let c = start; c <= end; c++) cps.push(c);
    out.push(String.fromCodePoint(...cps));
  }
  return out;
}

const CLASSES: [name: string, from: number, to: number][] = [
  ['tab and LF', 0x9, 0xa],
  ['CR', 0xd, 0xd],
  ['ASCII printable (with & < > " \')', 0x20, 0x7e],
  ['DEL and the C1 controls', 0x7f, 0x9f],
  ['Latin-1 letters and signs (é, ÿ, NBSP)', 0xa0, 0xff],
  ['above Latin-1, two UTF-8 bytes (Œ, Greek, Cyrillic, Hebrew, Arabic)', 0x100, 0x7ff],
  ['the BMP up to the surrogates (王, 世, Devanagari, Hangul)', 0x800, 0xd7ff],
  ['the BMP after the surrogates (private use, compatibility forms, U+FFFD)', 0xe000, 0xfffd],
  ['the supplementary planes (😀, CJK extension B, plane 16)', 0x10000, 0x10ffff],
];

/** A reply body as an ISO-8859-1 server sends it: each value once in an ITEM, once in ERROR_STR. */
function replyBody(values: string[]): Buffer {
  const items = values.map((v) => `<ITEM><V>${escapeLatin1(v)}</V></ITEM>`).join('');
  const xml = `<?xml version="1.0" encoding="ISO-8859-1"?><WAPI><REPLY STATUS="0" ERROR_CODE="0" ERROR_STR="${escapeLatin1(values[0]!)}">${items}</REPLY></WAPI>`;
  expect(xml).toMatch(/^[\u0000-\u00FF]*$/);
  return Buffer.from(xml, 'latin1');
}

const requestParser = new XMLParser({ parseTagValue: false, trimValues: false, isArray: (name) => name === 'V' });

/** The values of a request's <V> tags, read back the way the server reads the form and the XML. */
function sentValues(values: string[]): string[] {
  const xml = buildRequest(creds, { object: 'CUSTOMER', action: 'GET', tags: values.map((v): [string, string] => ['V', v]) });
  const body = encodeForm(xml);
  expect(body).toMatch(/^[\u0020-\u007E]*$/);
  const received = new URLSearchParams(body).get('xml_query')!;
  expect(received).toBe(xml);
  const doc = requestParser.parse(received.replace(/&rsquot;/g, '&apos;')) as { WAPI: { COMMAND: { V: string[] } } };
  return doc.WAPI.COMMAND.V;
}

describe('Latin-1 and non-Latin-1 text both ways', () => {
  it('é, 王 and 😀 go out as UTF-8 in the form and come back from an ISO-8859-1 reply', () => {
    const value = "Café 王先生 😀 O'Brien";
    expect(sentValues([value])).toEqual([value]);
    expect(encodeForm(buildRequest(creds, { object: 'CUSTOMER', action: 'ADD', tags: [['FIRSTNAME', value]] }))).toContain(
      'Caf%C3%A9%20%E7%8E%8B%E5%85%88%E7%94%9F%20%F0%9F%98%80%20O%26rsquot%3BBrien',
    );
    const body = replyBody([value]);
    expect(body.toString('latin1')).toContain('<V>Caf\u00e9 &#29579;&#20808;&#29983; &#128512; O\'Brien</V>');
    expect(body.includes(0xe9)).toBe(true); // é is one byte, as ISO-8859-1 says
    const reply = parseReply(body);
    expect(reply.items).toEqual([{ V: value }]);
    expect(reply.errorStr).toBe(value);
  });

  it('reads the references the server writes for non-Latin-1 text, decimal or hex', () => {
    const reply = parseReply(Buffer.from('<WAPI><REPLY STATUS="0"><ITEM><V>&#19990;&#30028; &#x1F600; &#233;</V></ITEM></REPLY></WAPI>', 'latin1'));
    expect(reply.items[0]).toEqual({ V: '世界 😀 é' });
  });

  describe.each(CLASSES)('%s', (_, from, to) => {
    const values = chunks(from, to);

    it('round-trips through escapeLatin1 and parseReply, in text and in attributes', () => {
      const reply = parseReply(replyBody(values));
      expect(reply.items.length).toBe(values.length);
      reply.items.forEach((item, i) => expect(item['V'] === values[i], `chunk ${i} from U+${from.toString(16)}`).toBe(true));
      expect(reply.errorStr === values[0]).toBe(true);
    });

    it('is sent as data by buildRequest (CR as LF, README, "Protocol notes": line ends)', () => {
      const expected = values.map((v) => v.replace(/\r/g, '\n'));
      const sent = sentValues(values);
      expect(sent.length).toBe(expected.length);
      sent.forEach((v, i) => expect(v === expected[i], `chunk ${i} from U+${from.toString(16)}`).toBe(true));
    });
  });

  it('refuses exactly the code points XML cannot carry, all 1,114,112 of them checked', () => {
    const wrong: string[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      const s = String.fromCodePoint(c);
      if ((findNonXmlChar(s) === undefined) !== isXmlChar(c)) wrong.push(c.toString(16));
    }
    expect(wrong).toEqual([]);
  });
});
