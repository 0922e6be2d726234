import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { WapiBulkError } from '../../../src/protocol/errors.js';
import { buildRequest, encodeForm, type WapiCommand } from '../../../src/protocol/request.js';

const creds = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };

/**
 * Read a request the way the README's "Protocol notes" say the server does: `&rsquot;` is an apostrophe, then
 * standard XML. (`&rsquot;` is replaced in the raw text first, so the escaped literal
 * `&amp;rsquot;` is left alone.) Returns the COMMAND's attributes and its tags in order.
 */
function readRequest(xml: string): { object: string; action: string; tags: [string, string][]; envelope: string[] } {
  const standard = xml.replace(/&rsquot;/g, '&apos;');
  expect(XMLValidator.validate(standard)).toBe(true);
  const doc = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
  }).parse(standard) as Array<Record<string, unknown>>;
  const wapi = doc[0]!['WAPI'] as Array<Record<string, unknown>>;
  const envelope = wapi.map((n) => Object.keys(n).find((k) => k !== ':@')!);
  const command = wapi.find((n) => 'COMMAND' in n)!;
  const attrs = command[':@'] as Record<string, string>;
  const tags = (command['COMMAND'] as Array<Record<string, unknown>>).map((n): [string, string] => {
    const tag = Object.keys(n).find((k) => k !== ':@')!;
    const children = n[tag] as Array<Record<string, string>>;
    return [tag, children.map((c) => c['#text'] ?? '').join('')];
  });
  return { object: attrs['OBJECT']!, action: attrs['ACTION']!, tags, envelope };
}

function rowInvalid(fn: () => unknown): WapiBulkError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WapiBulkError);
    expect((error as WapiBulkError).code).toBe('ROW_INVALID');
    return error as WapiBulkError;
  }
  throw new Error('expected a ROW_INVALID error');
}

describe('buildRequest', () => {
  it("writes the guide's Modify Customer example (OBJECT and ACTION upper-cased: keywords are case-insensitive)", () => {
    const xml = buildRequest(creds, {
      object: 'Customer',
      action: 'Modify',
      tags: [
        ['ACCOUNTNUM', '1453'],
        ['FIRSTNAME', 'Bill'],
        ['LASTNAME', 'Gates'],
        ['EMAIL', 'MSGuru@microsoft.com'],
      ],
    });
    expect(xml).toBe(
      '<WAPI><TENANT>AcmeJets</TENANT><USERNAME>johnd</USERNAME><PASSWORD>john123</PASSWORD>' +
        '<COMMAND OBJECT="CUSTOMER" ACTION="MODIFY"><ACCOUNTNUM>1453</ACCOUNTNUM><FIRSTNAME>Bill</FIRSTNAME>' +
        '<LASTNAME>Gates</LASTNAME><EMAIL>MSGuru@microsoft.com</EMAIL></COMMAND></WAPI>',
    );
  });

  it('keeps tag order and repeated tags (an OR in GET), and writes an empty GET', () => {
    const or = readRequest(
      buildRequest(creds, { object: 'case', action: 'get', tags: [['STATUS', 'Unassigned'], ['CATEGORY', 'Gold'], ['STATUS', 'Open']] }),
    );
    expect(or).toEqual({
      object: 'CASE',
      action: 'GET',
      envelope: ['TENANT', 'USERNAME', 'PASSWORD', 'COMMAND'],
      tags: [['STATUS', 'Unassigned'], ['CATEGORY', 'Gold'], ['STATUS', 'Open']],
    });
    expect(buildRequest(creds, { object: 'task', action: 'get', tags: [] })).toContain('<COMMAND OBJECT="TASK" ACTION="GET"></COMMAND>');
  });

  // Each value must come back as the one tag's text, whatever it holds.
  it.each([
    ['</FIRSTNAME><ACCOUNTNUM>1', 'closing the tag and opening another'],
    ['</FIRSTNAME></COMMAND><COMMAND OBJECT="CUSTOMER" ACTION="DELETE"><ACCOUNTNUM>1', 'a second command'],
    ['</PASSWORD><TENANT>other', 'a second tenant'],
    ['x]]><ACCOUNTNUM>1</ACCOUNTNUM><![CDATA[', 'breaking out of a CDATA section'],
    ['<![CDATA[</FIRSTNAME>]]>', 'a CDATA section'],
    [']]>', 'a CDATA terminator'],
    ['<!-- comment --><ACCOUNTNUM>1</ACCOUNTNUM>', 'a comment'],
    ['<!--', 'an open comment'],
    ['<?xml version="1.0"?>', 'a processing instruction'],
    ['<!DOCTYPE WAPI [<!ENTITY x "y">]>&x;', 'a DOCTYPE and an entity'],
    ['&amp;', 'a literal entity'],
    ['&lt;ACCOUNTNUM&gt;', 'escaped markup, literally'],
    ['&#60;ACCOUNTNUM&#62;', 'character references, literally'],
    ['&rsquot;', 'the apostrophe escape, literally'],
    ['&', 'a lone ampersand'],
    ['" OBJECT="CASE', 'attribute-ish double quotes'],
    ["' ACTION='DELETE", 'attribute-ish apostrophes'],
    ["O'Brien's", 'apostrophes'],
    ['a\tb\nc', 'tab and LF'],
    ['  padded  ', 'surrounding spaces'],
    ['%a%', 'a wildcard'],
    ['é 王 😀 \u{10FFFF}', 'Latin-1 and non-Latin-1 text'],
  ])('keeps %j as data (%s)', (value) => {
    const read = readRequest(buildRequest(creds, { object: 'CUSTOMER', action: 'ADD', tags: [['FIRSTNAME', value], ['LASTNAME', 'L']] }));
    expect(read.tags).toEqual([['FIRSTNAME', value], ['LASTNAME', 'L']]);
    expect(read.envelope).toEqual(['TENANT', 'USERNAME', 'PASSWORD', 'COMMAND']);
    expect([read.object, read.action]).toEqual(['CUSTOMER', 'ADD']);
  });

  it('sends an apostrophe as &rsquot; everywhere, credentials too', () => {
    const xml = buildRequest({ tenant: "T'x", username: "u'", password: "p'w" }, { object: 'CASE', action: 'ADD', tags: [['SUBJECT', "My printer doesn't work"]] });
    expect(xml).toContain('<TENANT>T&rsquot;x</TENANT><USERNAME>u&rsquot;</USERNAME><PASSWORD>p&rsquot;w</PASSWORD>');
    expect(xml).toContain('<SUBJECT>My printer doesn&rsquot;t work</SUBJECT>');
    expect(xml).not.toContain("'");
  });

  it('normalises CR LF and lone CR to LF (README, "Protocol notes": line ends)', () => {
    const xml = buildRequest(creds, { object: 'CASE', action: 'ADD', tags: [['DESCRIPTION', 'one\r\ntwo\rthree\nfour']] });
    expect(xml).toContain('<DESCRIPTION>one\ntwo\nthree\nfour</DESCRIPTION>');
    expect(xml).not.toContain('\r');
  });

  it.each([
    ['\u0000', 'U+0000'],
    ['bell \u0007', 'U+0007'],
    ['form feed \u000C', 'U+000C'],
    ['\u001B[31m', 'U+001B'],
    ['\uFFFF', 'U+FFFF'],
    ['lone \uD800', 'U+D800'],
  ])('refuses a value holding %j with a clear error', (value, char) => {
    const error = rowInvalid(() => buildRequest(creds, { object: 'CUSTOMER', action: 'ADD', tags: [['COMMENTS', value]] }));
    expect(error.message).toContain('COMMENTS');
    expect(error.message).toContain(char);
    expect(error.details).toEqual({ field: 'COMMENTS' });
    expect(error.hint).toBeTruthy();
    expect(error.retryable).toBe(false);
  });

  it('refuses control characters in the credentials', () => {
    expect(rowInvalid(() => buildRequest({ ...creds, password: 'pw\u0001' }, { object: 'CUSTOMER', action: 'GET', tags: [] })).message).toContain('PASSWORD');
  });

  it.each(['ADDR2 STATE', 'FIRSTNAME><ACCOUNTNUM', '1ABC', '', 'A/B', 'ns:X'])('refuses the tag name %j', (tag) => {
    const error = rowInvalid(() => buildRequest(creds, { object: 'CUSTOMER', action: 'ADD', tags: [[tag, 'v']] }));
    expect(error.message).toContain('not a valid tag name');
  });

  it.each<[string, string]>([
    ['Customer" ACTION="DELETE', 'GET'],
    ['CUSTOMER', 'GET" OBJECT="CASE'],
    ['CUSTOMER', 'GET><ACCOUNTNUM>1</ACCOUNTNUM'],
    ['', 'GET'],
  ])('refuses OBJECT %j with ACTION %j', (object, action) => {
    rowInvalid(() => buildRequest(creds, { object, action, tags: [] } satisfies WapiCommand));
  });
});

describe('encodeForm', () => {
  it('posts one xml_query variable that decodes (as PHP does) to the exact XML, UTF-8 inside', () => {
    const xml = buildRequest(creds, {
      object: 'CUSTOMER',
      action: 'ADD',
      tags: [['FIRSTNAME', 'é 王 😀 a+b=c&xml_query=evil&x=%41 ;/?#']],
    });
    const body = encodeForm(xml);
    expect(body).toMatch(/^xml_query=[A-Za-z0-9%._~!*'()-]*$/);
    const form = new URLSearchParams(body);
    expect([...form.keys()]).toEqual(['xml_query']);
    expect(form.get('xml_query')).toBe(xml);
    expect(body).toContain('%C3%A9'); // é as UTF-8
    expect(body).toContain('%F0%9F%98%80'); // 😀 as UTF-8
  });
});
