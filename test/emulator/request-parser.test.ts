/**
 * The request parser: a strict single-pass XML reader (src/emulator/request-parser.ts). Table
 * tests of what it reads and what it refuses, and a differential test against fast-xml-parser,
 * the parser it replaced on the emulator's hot path: on thousands of mutated requests it must
 * never accept what fast-xml-parser's validator refuses, and where both accept, read the same.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parseRequestXml, RequestSyntaxError, type ParsedRequest } from '../../src/emulator/request-parser.js';

const LOGIN = '<TENANT>AcmeJets</TENANT><USERNAME>johnd</USERNAME><PASSWORD>john123</PASSWORD>';
const req = (command: string) => `<WAPI>${LOGIN}${command}</WAPI>`;

function refused(xml: string): RequestSyntaxError {
  try {
    parseRequestXml(xml);
  } catch (error) {
    if (error instanceof RequestSyntaxError) return error;
    throw error;
  }
  throw new Error(`accepted: ${xml}`);
}

describe('what it reads', () => {
  it.each<[string, string, Partial<ParsedRequest>]>([
    ['the usual request', req('<COMMAND OBJECT="CUSTOMER" ACTION="GET"><ACCOUNTNUM>1</ACCOUNTNUM></COMMAND>'), { object: 'CUSTOMER', action: 'GET', tags: [['ACCOUNTNUM', '1']] }],
    ['lower case, single quotes, spaces around =', "<wapi><tenant>AcmeJets</tenant><command object = 'case' action='get'><subject>x</subject></command></wapi>", { tenant: 'AcmeJets', object: 'case', action: 'get', tags: [['SUBJECT', 'x']] }],
    ['a declaration, comments, processing instructions, white space', `<?xml version="1.0" encoding="ISO-8859-1"?>\n<!-- hi -->\n<?php echo 1; ?>\n${req('<!-- c --><COMMAND OBJECT="CASE" ACTION="GET"><?pi x?><CASENUM>1<!-- c -->2</CASENUM></COMMAND>')}\n<!-- bye -->\n`, { tags: [['CASENUM', '12']] }],
    ['the five entities, &rsquot; and character references', req('<COMMAND OBJECT="CUSTOMER" ACTION="GET"><COMPANY>&lt;&gt;&amp;&quot;&apos;&rsquot;&#233;&#x4E16;&#128512;</COMPANY></COMMAND>'), { tags: [['COMPANY', `<>&"''é世😀`]] }],
    ['CDATA: markup and references are text', req('<COMMAND OBJECT="CUSTOMER" ACTION="GET"><COMPANY>a<![CDATA[<b>&amp;&#65;&rsquot;]]>z</COMPANY></COMMAND>'), { tags: [['COMPANY', 'a<b>&amp;&#65;&rsquot;z']] }],
    ['line ends: CR LF and CR become LF, &#13; stays CR', req('<COMMAND OBJECT="CUSTOMER" ACTION="GET"><COMMENTS>a\r\nb\rc&#13;d<![CDATA[e\r\nf]]></COMMENTS></COMMAND>'), { tags: [['COMMENTS', 'a\nb\nc\rde\nf']] }],
    ['values keep their white space; login values are trimmed', `<WAPI><TENANT> AcmeJets\n</TENANT>${'<COMMAND OBJECT=" CASE " ACTION="GET"><SUBJECT>  two  words </SUBJECT></COMMAND>'}</WAPI>`, { tenant: 'AcmeJets', object: 'CASE', tags: [['SUBJECT', '  two  words ']] }],
    ['an empty element and a self-closing one', req('<COMMAND OBJECT="CASE" ACTION="MODIFY"><ASSIGNEDTO></ASSIGNEDTO><STATUS/></COMMAND>'), { tags: [['ASSIGNEDTO', ''], ['STATUS', '']] }],
    ['names with dots, digits and non-ASCII letters', req('<COMMAND OBJECT="CUSTOMER" ACTION="GET"><CF01_PICKLIST.NAME>v</CF01_PICKLIST.NAME><Straße>x</Straße></COMMAND>'), { tags: [['CF01_PICKLIST.NAME', 'v'], ['STRASSE', 'x']] }],
    ['no COMMAND', `<WAPI>${LOGIN}</WAPI>`, { hasCommand: false, object: undefined, tags: [] }],
    ['text beside the elements of WAPI and COMMAND is ignored', `<WAPI>x${LOGIN}<COMMAND OBJECT="CASE" ACTION="GET">y<CASENUM>1</CASENUM>z</COMMAND></WAPI>`, { tags: [['CASENUM', '1']] }],
    ['attribute values are normalised and resolved', '<WAPI><COMMAND OBJECT="CUS&#84;OMER" ACTION="\tGET\n"/></WAPI>', { object: 'CUSTOMER', action: 'GET' }],
  ])('%s', (_, xml, expected) => {
    expect(parseRequestXml(xml)).toMatchObject(expected);
  });
});

describe('what it refuses', () => {
  it.each<[string, string, string]>([
    ['an unclosed element', req('<COMMAND OBJECT="CASE" ACTION="GET"><CASENUM>1</COMMAND>'), "expected the end tag of 'CASENUM', not of 'COMMAND'"],
    ['a truncated document', '<WAPI><TENANT>AcmeJets', "element 'TENANT' is not closed"],
    ['end tags in another case', '<WAPI><tenant>x</TENANT></WAPI>', "expected the end tag of 'tenant', not of 'TENANT'"],
    ['two roots', `<WAPI></WAPI><WAPI></WAPI>`, 'more than one root element'],
    ['text after the root', `<WAPI></WAPI>x`, 'text after the root element'],
    ['a bare &', req('<COMMAND><A>AT&T</A></COMMAND>'), "'&' that starts no reference (write it as &amp;)"],
    ['an undefined entity', req('<COMMAND><A>&nbsp;</A></COMMAND>'), "entity '&nbsp;' is not defined"],
    ['a reference to a character XML cannot hold', req('<COMMAND><A>&#0;</A></COMMAND>'), "'&#0;' is no XML character"],
    ['a raw control character', req('<COMMAND><A>\u0007</A></COMMAND>'), 'character U+0007 is not allowed in XML'],
    ['a lone surrogate', req('<COMMAND><A>\uD800</A></COMMAND>'), 'character U+D800 is not allowed in XML'],
    ['< in an attribute value', '<WAPI><COMMAND OBJECT="a<b"/></WAPI>', "'<' in the value of attribute 'OBJECT'"],
    ['an unquoted attribute', '<WAPI><COMMAND OBJECT=CASE/></WAPI>', "the value of attribute 'OBJECT' is not quoted"],
    ['an attribute without value', '<WAPI><COMMAND OBJECT/></WAPI>', "attribute 'OBJECT' has no value"],
    ['attributes not separated', '<WAPI><COMMAND OBJECT="a"ACTION="b"/></WAPI>', "unexpected 'A' in the start tag of 'COMMAND'"],
    ['a repeated attribute', '<WAPI><COMMAND OBJECT="a" OBJECT="b"/></WAPI>', "attribute 'OBJECT' is repeated"],
    ['a name that starts with a digit', '<WAPI><1A>x</1A></WAPI>', "'1A' is not a valid name"],
    ['a space after <', '<WAPI>< A>x</A></WAPI>', 'a name was expected'],
    ["'--' in a comment", '<WAPI><!-- a -- b --></WAPI>', "'--' inside a comment"],
    ["']]>' in text", '<WAPI><A>a]]>b</A></WAPI>', "']]>' in text"],
    ['an unclosed CDATA section', '<WAPI><A><![CDATA[x</A></WAPI>', 'a CDATA section is not closed'],
    ['a declaration that is not at the start', '<WAPI><?xml version="1.0"?></WAPI>', 'an XML declaration that is not at the start'],
    ['a DOCTYPE', '<!DOCTYPE WAPI><WAPI/>', 'DOCTYPE and other declarations are not accepted in a request'],
  ])('%s', (_, xml, message) => {
    const error = refused(xml);
    expect(error.message).toMatch(/^XML string not correct\. Error at line '\d+': '/);
    expect(error.message.replace(/^XML string not correct\. Error at line '\d+': '(.*)'$/s, '$1')).toBe(message);
  });

  it('says on which line', () => {
    expect(refused(`<WAPI>\n${LOGIN}\n<COMMAND>\n<A>&bad;</A>\n</COMMAND></WAPI>`).message).toBe("XML string not correct. Error at line '4': 'entity '&bad;' is not defined'");
  });

  it('the shape of a request: syntax first, then the shape', () => {
    expect(refused('<REQUEST/>')).toMatchObject({ kind: 'structure', message: "Error after 'REQUEST'" });
    expect(refused(req('<COMMAND><A><B>x</B></A></COMMAND>'))).toMatchObject({ kind: 'structure', message: "Error after 'A'" });
    expect(refused(`<WAPI><TENANT><X/></TENANT></WAPI>`)).toMatchObject({ kind: 'structure', message: "Error after 'TENANT'" });
    expect(refused(`<WAPI><COMMAND/><COMMAND/></WAPI>`)).toMatchObject({ kind: 'structure', message: "Error after 'COMMAND'" });
    expect(refused(`<REQUEST><A>&bad;</A></REQUEST>`)).toMatchObject({ kind: 'xml' });
    expect(refused('')).toMatchObject({ kind: 'empty' });
    expect(refused('hello')).toMatchObject({ kind: 'xml', message: 'not XML' });
  });

  it('limits: elements, depth, attributes', () => {
    const limits = { maxElements: 5, maxDepth: 3, maxAttributes: 2 };
    expect(() => parseRequestXml('<WAPI><COMMAND><A/><A/><A/></COMMAND></WAPI>', limits)).not.toThrow();
    expect(refused(`<WAPI>${'<A/>'.repeat(10_000)}</WAPI>`)).toMatchObject({ kind: 'limits', message: "XML string not correct. Error at line '1': 'more than 10000 elements'" });
    expect(() => parseRequestXml('<WAPI><A/><A/><A/><A/><A/></WAPI>', limits)).toThrow("'more than 5 elements'");
    expect(() => parseRequestXml('<WAPI><A><B><C/></B></A></WAPI>', limits)).toThrow("'elements nested deeper than 3 levels'");
    expect(() => parseRequestXml('<WAPI a="1" b="2" c="3"/>', limits)).toThrow("'more than 2 attributes'");
  });
});

/** The reading fast-xml-parser gives (the emulator's parser before this one). */
function reference(xml: string): { tenant?: string; object?: string; action?: string; tags: Array<[string, string]> } {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  type Node = Record<string, unknown> & { ':@'?: Record<string, string> };
  const nameOf = (n: Node) => Object.keys(n).find((k) => k !== ':@') ?? '';
  const text = (children: unknown) => ((children as Node[]) ?? []).map((c) => (typeof c['#text'] === 'string' || typeof c['#text'] === 'number' ? String(c['#text']) : '')).join('');
  const doc = parser.parse(xml.replace(/&rsquot;/g, '&apos;')) as Node[];
  const root = doc.find((n) => nameOf(n) !== '#text') as Node;
  const out: { object?: string; action?: string; tags: Array<[string, string]>; tenant?: string } = { tags: [] };
  for (const child of root[nameOf(root)] as Node[]) {
    const name = nameOf(child);
    if (name.toUpperCase() === 'TENANT') out.tenant = text(child[name]).trim();
    if (name.toUpperCase() !== 'COMMAND') continue;
    for (const [k, raw] of Object.entries(child[':@'] ?? {})) {
      // XML normalises white space in attribute values to spaces; fast-xml-parser does not.
      const v = raw.replace(/\r\n|[\r\n\t]/g, ' ');
      if (k.toUpperCase() === 'OBJECT') out.object = v.trim();
      if (k.toUpperCase() === 'ACTION') out.action = v.trim();
    }
    for (const tag of child[name] as Node[]) if (nameOf(tag) !== '#text') out.tags.push([nameOf(tag).toUpperCase(), text(tag[nameOf(tag)])]);
  }
  return out;
}

describe('against fast-xml-parser', () => {
  const SEEDS = [
    req('<COMMAND OBJECT="CUSTOMER" ACTION="GET"><ACCOUNTNUM>10000500</ACCOUNTNUM></COMMAND>'),
    `<?xml version="1.0"?>\n<wapi>\n<tenant>AcmeJets</tenant>\n<!-- c -->\n<command object='case' action='add'><SUBJECT>a &amp; b &lt; &#233; &rsquot;</SUBJECT><DESCRIPTION><![CDATA[x<y>&z]]></DESCRIPTION></command></wapi>`,
    req('<COMMAND OBJECT="Task" ACTION="Add">\n  <ACCOUNTNUM>10000019</ACCOUNTNUM>\n  <SUBJECT>Phone &quot;Appointment&quot;</SUBJECT>\n  <EMPTY/>\n</COMMAND>'),
  ];
  const ALPHABET = ['<', '>', '&', '"', "'", '/', '=', '!', '?', '[', ']', '-', ' ', 'a', ';', '#', '\n', 'x', ':'];

  it('never accepts a mutated request that its validator refuses, and reads the same where both accept', () => {
    let seed = 20240301;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed % n;
    };
    let bothAccepted = 0;
    for (let i = 0; i < 6000; i++) {
      let xml = SEEDS[rand(SEEDS.length)] as string;
      for (let k = 1 + rand(3); k > 0; k--) {
        const at = rand(xml.length);
        const op = rand(3);
        if (op === 0) xml = xml.slice(0, at) + xml.slice(at + 1);
        else if (op === 1) xml = xml.slice(0, at) + ALPHABET[rand(ALPHABET.length)] + xml.slice(at);
        else xml = xml.slice(0, at) + xml.slice(at, at + 1 + rand(6)) + xml.slice(at);
      }
      let ours: ParsedRequest | undefined;
      try {
        ours = parseRequestXml(xml);
      } catch (error) {
        if (!(error instanceof RequestSyntaxError)) throw error;
        if (error.kind !== 'structure') continue;
      }
      expect(XMLValidator.validate(xml.trim()), xml).toBe(true);
      if (ours === undefined) continue;
      bothAccepted++;
      let theirs: ReturnType<typeof reference>;
      try {
        theirs = reference(xml.trim());
      } catch (e) {
        throw new Error(`${(e as Error).message}: ${JSON.stringify(xml)}`, { cause: e });
      }
      expect({ tenant: ours.tenant, object: ours.object, action: ours.action, tags: ours.tags }, xml).toEqual({ tenant: theirs.tenant, object: theirs.object, action: theirs.action, tags: theirs.tags });
    }
    expect(bothAccepted).toBeGreaterThan(500);
  });
});
