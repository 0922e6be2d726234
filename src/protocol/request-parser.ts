import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { resolveCharRefs, restoreCr } from './char-refs.js';

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
  const xml = input.replace(/&rsquot;/g, '&apos;').trim();
  if (xml === '') throw new RequestSyntaxError('empty', 'empty');
  if (!xml.startsWith('<')) throw new RequestSyntaxError('not XML', 'xml');
  checkLimits(xml, limits);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new RequestSyntaxError(`XML string not correct. Error at line '${valid.err.line}': '${valid.err.msg}'`, 'xml');
  }
  let doc: OrderedNode[];
  try {
    doc = parser.parse(resolveCharRefs(xml)) as OrderedNode[];
  } catch (error) {
    // The validator passed it, the parser did not: names it refuses (`__proto__`), entity limits.
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
