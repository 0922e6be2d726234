import { describe, expect, it } from 'vitest';
import { decodeReply, replyCharset } from '../../../src/protocol/reply-charset.js';
import { parseReply } from '../../../src/protocol/reply.js';

const xml = (decl: string, value: string) => `${decl}<WAPI><REPLY STATUS="0"><ITEM><LASTNAME>${value}</LASTNAME></ITEM></REPLY></WAPI>`;
const LATIN1_DECL = '<?xml version="1.0" encoding="ISO-8859-1"?>';
const UTF8_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

function lastName(body: Buffer, contentType?: string): string | undefined {
  return parseReply(body, contentType).items[0]?.['LASTNAME'];
}

function refusal(body: Buffer, contentType?: string): string {
  try {
    parseReply(body, contentType);
  } catch (error) {
    expect((error as { code?: string }).code).toBe('WAPI_BAD_REPLY');
    return (error as Error).message;
  }
  throw new Error('expected WAPI_BAD_REPLY');
}

describe('replies in the charset they declare', () => {
  it('reads ISO-8859-1 when nothing is declared, as the guide says the server writes', () => {
    expect(lastName(Buffer.from(xml('', 'Müller'), 'latin1'))).toBe('Müller');
    expect(replyCharset(Buffer.from('<WAPI/>'))).toBe('iso-8859-1');
  });

  it('reads UTF-8 when the XML declaration says so', () => {
    // Bug: every body was read as Latin-1, so a UTF-8 "Müller" came out as "MÃ¼ller".
    expect(lastName(Buffer.from(xml(UTF8_DECL, 'Müller 王'), 'utf8'))).toBe('Müller 王');
  });

  it('reads UTF-8 when the Content-Type says so, over the declaration', () => {
    expect(lastName(Buffer.from(xml(LATIN1_DECL, 'Müller'), 'utf8'), 'text/xml; charset=UTF-8')).toBe('Müller');
    expect(lastName(Buffer.from(xml('', 'Müller'), 'utf8'), 'application/xml;charset="utf-8"')).toBe('Müller');
  });

  it("lets the document's declaration win over a charset of a non-XML Content-Type (PHP's text/html default)", () => {
    expect(lastName(Buffer.from(xml(LATIN1_DECL, 'Müller'), 'latin1'), 'text/html; charset=UTF-8')).toBe('Müller');
    expect(lastName(Buffer.from(xml('', 'Müller'), 'utf8'), 'text/html; charset=UTF-8')).toBe('Müller');
  });

  it('honours a byte-order mark first', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml(LATIN1_DECL, 'Müller'), 'utf8')]);
    expect(lastName(bom, 'text/xml; charset=ISO-8859-1')).toBe('Müller');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml('', 'Müller'), 'utf16le')]);
    expect(lastName(utf16)).toBe('Müller');
  });

  it('reads other charsets it knows (windows-1252: 0x80 is the euro sign)', () => {
    const body = Buffer.concat([Buffer.from(xml('<?xml version="1.0" encoding="windows-1252"?>', 'X').split('X')[0] as string, 'latin1'), Buffer.from([0x80]), Buffer.from(xml('', 'X').split('X')[1] as string, 'latin1')]);
    expect(lastName(body)).toBe('€');
  });

  it('refuses bytes that are not valid in the declared charset, rather than guessing', () => {
    const latin1Bytes = Buffer.from(xml(UTF8_DECL, 'Müller'), 'latin1');
    expect(refusal(latin1Bytes)).toMatch(/declares UTF-8 but holds bytes that are not UTF-8/);
    expect(refusal(Buffer.from(xml('', 'Müller'), 'latin1'), 'text/xml; charset=us-ascii')).toMatch(/US-ASCII/);
  });

  it('refuses a charset it cannot read, naming it', () => {
    expect(refusal(Buffer.from(xml('<?xml version="1.0" encoding="x-klingon"?>', 'a')))).toMatch(/"x-klingon"/);
  });

  it('decodes without parsing, for callers that want the text', () => {
    expect(decodeReply(Buffer.from('é', 'latin1'))).toBe('é');
    expect(decodeReply(Buffer.from('é', 'utf8'), 'text/xml; charset=utf-8')).toBe('é');
  });
});
