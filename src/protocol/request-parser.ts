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
}

const DEFAULT_LIMITS: ParseLimits = { maxElements: 10_000, maxDepth: 16 };

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

/**
 * Cheap pre-scan that bounds what the parser is given: a million tags or a deeply nested
 * document is refused before any tree is built.
 */
function checkLimits(xml: string, limits: ParseLimits): void {
  let depth = 0;
  let elements = 0;
  const re = /<(\/?)([A-Za-z_][^\s/>]*)[^>]*?(\/?)>/g;
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    if (m[1] === '/') {
      depth--;
      continue;
    }
    elements++;
    if (elements > limits.maxElements) {
      throw new RequestSyntaxError(`more than ${limits.maxElements} elements`, 'limits');
    }
    if (m[3] !== '/') {
      depth++;
      if (depth > limits.maxDepth) throw new RequestSyntaxError(`nested deeper than ${limits.maxDepth} levels`, 'limits');
    }
  }
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
  const doc = parser.parse(resolveCharRefs(xml)) as OrderedNode[];
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
