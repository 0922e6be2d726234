import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isXmlChar, mapOutsideCdata, resolveCharRefs, restoreCr } from './char-refs.js';

/** A request as the server reads it. Names upper-cased; values exactly as sent (entities resolved). */
export interface ParsedRequest {
  readonly tenant: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** undefined when the COMMAND element or the attribute is missing. */
  readonly object: string | undefined;
  readonly action: string | undefined;
  readonly hasCommand: boolean;
  readonly tags: ReadonlyArray<readonly [tag: string, value: string]>;
}

/** Why a request could not be read; the server turns it into the guide's error reply. */
export class RequestSyntaxError extends Error {
  constructor(
    message: string,
    /** `xml` for a body that is not XML at all; `structure` for XML of the wrong shape. */
    readonly kind: 'empty' | 'xml' | 'structure' | 'limits',
  ) {
    super(message);
    this.name = 'RequestSyntaxError';
  }
}

export interface ParseLimits {
  /** Most elements in one request. */
  readonly maxElements: number;
  /** Deepest nesting of elements. */
  readonly maxDepth: number;
  /** Most attributes in one request (a request needs two: OBJECT and ACTION). */
  readonly maxAttributes: number;
}

const DEFAULT_LIMITS: ParseLimits = { maxElements: 10_000, maxDepth: 16, maxAttributes: 64 };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  // Numeric references are resolved by resolveCharRefs first: far cheaper than htmlEntities.
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Names are case-insensitive (DECISIONS.md), and upper-cased they can never be `__proto__`
  // or `constructor`, names the parser refuses outright although they are well-formed XML.
  transformTagName: (name: string) => name.toUpperCase(),
  transformAttributeName: (name: string) => name.toUpperCase(),
});

function lineAt(xml: string, index: number): number {
  let line = 1;
  for (let i = xml.indexOf('\n'); i !== -1 && i < index; i = xml.indexOf('\n', i + 1)) line++;
  return line;
}

function tooMuch(xml: string, index: number, what: string): RequestSyntaxError {
  return new RequestSyntaxError(`XML string not correct. Error at line '${lineAt(xml, index)}': '${what}'`, 'limits');
}

/**
 * Cheap linear pre-scan that bounds what the parser is given: a million tags, deep nesting or
 * a flood of attributes is refused before any tree is built (fast-xml-parser's validator is
 * quadratic in the attributes of an element). CDATA sections, comments and processing
 * instructions are skipped whole, so markup-like text inside CDATA is data, as it should be.
 * DOCTYPE is refused: a request has no use for one, and its entities are an expansion bomb.
 */
function checkLimits(xml: string, limits: ParseLimits): void {
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  const length = xml.length;
  let i = xml.indexOf('<');
  while (i !== -1) {
    const next = xml.charCodeAt(i + 1);
    let resume: number;
    if (next === 0x21 /* ! */) {
      if (xml.startsWith('<![CDATA[', i)) resume = skipPast(xml, ']]>', i + 9);
      else if (xml.startsWith('<!--', i)) resume = skipPast(xml, '-->', i + 4);
      else throw tooMuch(xml, i, 'DOCTYPE and other declarations are not accepted in a request');
    } else if (next === 0x3f /* ? */) {
      resume = skipPast(xml, '?>', i + 2);
    } else if (next === 0x2f /* / */) {
      depth--;
      resume = i + 2;
    } else {
      // A start tag: find its end, skipping quoted attribute values.
      let j = i + 1;
      let quote = 0;
      for (; j < length; j++) {
        const c = xml.charCodeAt(j);
        if (quote !== 0) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) quote = c;
        else if (c === 0x3d /* = */) attributes++;
        else if (c === 0x3e /* > */ || c === 0x3c /* < */) break;
      }
      if (++elements > limits.maxElements) throw tooMuch(xml, i, `more than ${limits.maxElements} elements`);
      if (attributes > limits.maxAttributes) throw tooMuch(xml, i, `more than ${limits.maxAttributes} attributes`);
      if (xml.charCodeAt(j - 1) !== 0x2f /* / */ && ++depth > limits.maxDepth) {
        throw tooMuch(xml, i, `elements nested deeper than ${limits.maxDepth} levels`);
      }
      resume = j;
    }
    if (resume >= length) return;
    i = xml.indexOf('<', resume);
  }
}

// XML 1.0 cannot hold these characters, raw or as references: a real XML parser (PHP's among
// them) refuses the document, so the emulator does too.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** The predefined entities, and the guide's apostrophe. */
const NAMED_ENTITIES = new Set(['lt', 'gt', 'amp', 'quot', 'apos', 'rsquot']);
const REFERENCE = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|([A-Za-z_:][\w.:-]*));/y;

/** Characters and references a well-formed document cannot have, outside CDATA and comments. */
function checkCharacters(xml: string): void {
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad) {
    const hex = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw tooMuch(xml, bad.index, `character U+${hex} is not allowed in XML`);
  }
  let amp = xml.indexOf('&');
  if (amp === -1) return;
  const skipped = skippedRanges(xml);
  for (; amp !== -1; amp = xml.indexOf('&', amp + 1)) {
    if (skipped.some(([from, to]) => amp > from && amp < to)) continue;
    REFERENCE.lastIndex = amp;
    const ref = REFERENCE.exec(xml);
    if (!ref) throw tooMuch(xml, amp, "'&' that starts no reference (write it as &amp;)");
    const [, hex, dec, name] = ref;
    if (name !== undefined && !NAMED_ENTITIES.has(name)) throw tooMuch(xml, amp, `entity '${ref[0]}' is not defined`);
    const cp = hex !== undefined ? parseInt(hex, 16) : dec !== undefined ? Number(dec) : 0x20;
    if (!isXmlChar(cp)) throw tooMuch(xml, amp, `'${ref[0]}' is no XML character`);
  }
}

/** CDATA sections and comments: text in them is not markup, nor references. */
function skippedRanges(xml: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const [open, close] of [['<![CDATA[', ']]>'], ['<!--', '-->']] as const) {
    for (let at = xml.indexOf(open); at !== -1; at = xml.indexOf(open, at + 1)) {
      const end = xml.indexOf(close, at + open.length);
      ranges.push([at, end === -1 ? xml.length : end]);
    }
  }
  return ranges;
}

function skipPast(xml: string, end: string, from: number): number {
  const at = xml.indexOf(end, from);
  return at === -1 ? xml.length : at + end.length;
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function nameOf(node: OrderedNode): string {
  for (const key of Object.keys(node)) if (key !== ':@') return key;
  return '';
}

function textOf(children: unknown, tag: string): string {
  if (!Array.isArray(children)) return '';
  let out = '';
  for (const child of children as OrderedNode[]) {
    const name = nameOf(child);
    if (name === '#text') out += restoreCr(String(child['#text'] ?? ''));
    else throw new RequestSyntaxError(`Error after '${tag}'`, 'structure');
  }
  return out;
}

/**
 * Parse the XML of a request (DECISIONS.md "Request shape"): element names, OBJECT and ACTION
 * are case-insensitive; `&rsquot;` (the guide's apostrophe) and CDATA are accepted; whitespace
 * between tags is ignored.
 */
export function parseRequestXml(input: string, limits: ParseLimits = DEFAULT_LIMITS): ParsedRequest {
  const trimmed = input.trim();
  if (trimmed === '') throw new RequestSyntaxError('empty', 'empty');
  if (!trimmed.startsWith('<')) throw new RequestSyntaxError('not XML', 'xml');
  checkLimits(trimmed, limits);
  checkCharacters(trimmed);
  // The guide's apostrophe, `&rsquot;`, is read as `'` (DECISIONS.md "Transport").
  const xml = trimmed.includes('&rsquot;') ? mapOutsideCdata(trimmed, (text) => text.replaceAll('&rsquot;', '&apos;')) : trimmed;
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new RequestSyntaxError(`XML string not correct. Error at line '${valid.err.line}': '${valid.err.msg}'`, 'xml');
  }
  let doc: OrderedNode[];
  try {
    doc = parser.parse(resolveCharRefs(xml)) as OrderedNode[];
  } catch (error) {
    // The validator passed it, the parser did not: a case neither the pre-scan nor the validator saw.
    throw new RequestSyntaxError(`XML string not correct. Error at line '1': '${(error as Error).message}'`, 'xml');
  }
  const roots = doc.filter((n) => nameOf(n) !== '#text');
  const root = roots[0];
  if (roots.length !== 1 || root === undefined || nameOf(root).toUpperCase() !== 'WAPI') {
    throw new RequestSyntaxError(`Error after '${root ? nameOf(root) : ''}'`, 'structure');
  }
  let tenant: string | undefined;
  let username: string | undefined;
  let password: string | undefined;
  let object: string | undefined;
  let action: string | undefined;
  let hasCommand = false;
  const tags: Array<[string, string]> = [];
  for (const child of (root[nameOf(root)] as OrderedNode[]) ?? []) {
    const name = nameOf(child);
    if (name === '#text') continue;
    const upper = name.toUpperCase();
    if (upper === 'TENANT') tenant = textOf(child[name], name).trim();
    else if (upper === 'USERNAME') username = textOf(child[name], name).trim();
    else if (upper === 'PASSWORD') password = textOf(child[name], name).trim();
    else if (upper === 'COMMAND') {
      if (hasCommand) throw new RequestSyntaxError(`Error after '${name}'`, 'structure');
      hasCommand = true;
      const attributes = child[':@'] ?? {};
      for (const [key, value] of Object.entries(attributes)) {
        if (key.toUpperCase() === 'OBJECT') object = value.trim();
        if (key.toUpperCase() === 'ACTION') action = value.trim();
      }
      for (const tag of (child[name] as OrderedNode[]) ?? []) {
        const tagName = nameOf(tag);
        if (tagName === '#text') continue;
        tags.push([tagName.toUpperCase(), textOf(tag[tagName], tagName)]);
      }
    } else {
      throw new RequestSyntaxError(`Error after '${name}'`, 'structure');
    }
  }
  return { tenant, username, password, object, action, hasCommand, tags };
}
