import { isXmlChar, nonXmlCharAt } from '../protocol/xml-chars.js';

/** A request as the server reads it. Names upper-cased; values exactly as sent (entities resolved). */
export interface ParsedRequest {
  readonly tenant: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** undefined when the COMMAND element or the attribute is missing. */
  readonly object: string | undefined;
  readonly action: string | undefined;
  readonly hasCommand: boolean;
  /** Whether the request came in a `<WAPI>` envelope (always, on the form endpoint). */
  readonly envelope: boolean;
  readonly tags: ReadonlyArray<readonly [tag: string, value: string]>;
}

/**
 * `wapi`: the guide's `<WAPI>` envelope around one COMMAND, with the credentials in it.
 * `gateway`: the API gateway's body, a bare `<COMMAND>` (a `<WAPI>` envelope is read too).
 */
export type RequestShape = 'wapi' | 'gateway';

/** Why a request could not be read; the server turns it into the guide's error reply. */
export class RequestSyntaxError extends Error {
  constructor(
    message: string,
    /**
     * `xml` for a body that is not XML at all; `structure` for XML of the wrong shape;
     * `duplicate` for a repeated TENANT, USERNAME or PASSWORD (the message is the tag).
     */
    readonly kind: 'empty' | 'xml' | 'structure' | 'limits' | 'duplicate',
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

interface Element {
  readonly name: string;
  readonly attributes: Array<[string, string]>;
  /** Text (character data, references resolved, CDATA included) and child elements, in order. */
  readonly children: Array<Element | string>;
}

const NAME = /^[:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDB7F][-.0-9:A-Z_a-z\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDFFF]*$/;
/** The characters that end a name: white space, `/`, `>`, `=`, `<`, quotes, `?`. */
const NAME_END = /[\s/>=<"'?]/g;
const XML_DECLARATION = /^<\?xml\s+version\s*=\s*(["'])1\.\d+\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][\w.-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>/;
/** The predefined entities, and the guide's apostrophe `&rsquot;` (README, "Protocol notes"). */
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", rsquot: "'" };
const REFERENCE = /&(?:#x([0-9A-Fa-f]{1,8})|#([0-9]{1,10})|([^\s&;<]{1,32}));/y;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

/** The guide's "XML string not correct. Error at line 'n': 'message'" for a place in the text. */
function syntaxError(xml: string, at: number, message: string, kind: 'xml' | 'limits'): RequestSyntaxError {
  let line = 1;
  for (let i = xml.indexOf('\n'); i !== -1 && i < at; i = xml.indexOf('\n', i + 1)) line++;
  return new RequestSyntaxError(`XML string not correct. Error at line '${line}': '${message}'`, kind);
}

/**
 * A strict, single-pass reader of XML 1.0 documents, sized for requests: well-formedness as a
 * conforming parser checks it (names, quoting, references, matching end tags, one root, no
 * `--` in comments, no `]]>` in text), line ends normalised, the limits enforced as it goes, so
 * a million tags or deep nesting is refused before it costs anything. DOCTYPE is refused: a
 * request has no use for one, and its entities are an expansion bomb.
 */
class XmlReader {
  private pos = 0;
  private elements = 0;
  private attributes = 0;

  constructor(
    private readonly xml: string,
    private readonly limits: ParseLimits,
  ) {}

  read(): Element {
    if (this.xml.startsWith('<?xml') && isSpace(this.xml.charCodeAt(5))) {
      const declaration = XML_DECLARATION.exec(this.xml);
      if (!declaration) this.fail('a malformed XML declaration');
      this.pos = declaration[0].length;
    }
    this.skipMisc();
    if (this.xml.startsWith('<!DOCTYPE', this.pos) || this.xml.startsWith('<!ENTITY', this.pos)) {
      this.fail('DOCTYPE and other declarations are not accepted in a request', 'limits');
    }
    if (this.xml.charCodeAt(this.pos) !== 0x3c) this.fail('the document has no root element');
    const root = this.element(1);
    this.skipMisc();
    if (this.pos < this.xml.length) this.fail(this.xml.charCodeAt(this.pos) === 0x3c ? 'more than one root element' : 'text after the root element');
    return root;
  }

  private fail(message: string, kind: 'xml' | 'limits' = 'xml', at = this.pos): never {
    throw syntaxError(this.xml, at, message, kind);
  }

  private skipPast(end: string, what: string): string {
    const at = this.xml.indexOf(end, this.pos);
    if (at === -1) this.fail(`${what} is not closed`);
    const inner = this.xml.slice(this.pos, at);
    this.pos = at + end.length;
    return inner;
  }

  /** White space, comments and processing instructions (between elements and around the root). */
  private skipMisc(): void {
    for (;;) {
      while (isSpace(this.xml.charCodeAt(this.pos))) this.pos++;
      if (this.xml.startsWith('<!--', this.pos)) this.comment();
      else if (this.xml.startsWith('<?', this.pos)) this.instruction();
      else return;
    }
  }

  private comment(): void {
    this.pos += 4;
    const text = this.skipPast('-->', 'a comment');
    if (text.includes('--') || text.endsWith('-')) this.fail("'--' inside a comment");
  }

  private instruction(): void {
    this.pos += 2;
    const target = this.name();
    if (target.toLowerCase() === 'xml') this.fail('an XML declaration that is not at the start');
    if (!this.spaces() && !this.xml.startsWith('?>', this.pos)) this.fail(`unexpected '${this.xml[this.pos] ?? ''}' after '<?${target}'`);
    this.skipPast('?>', 'a processing instruction');
  }

  private name(): string {
    NAME_END.lastIndex = this.pos;
    const end = NAME_END.exec(this.xml)?.index ?? this.xml.length;
    const name = this.xml.slice(this.pos, end);
    if (!NAME.test(name)) this.fail(name === '' ? 'a name was expected' : `'${name}' is not a valid name`);
    this.pos = end;
    return name;
  }

  private spaces(): boolean {
    const start = this.pos;
    while (isSpace(this.xml.charCodeAt(this.pos))) this.pos++;
    return this.pos > start;
  }

  private element(depth: number): Element {
    const start = this.pos;
    if (++this.elements > this.limits.maxElements) this.fail(`more than ${this.limits.maxElements} elements`, 'limits');
    if (depth > this.limits.maxDepth) this.fail(`elements nested deeper than ${this.limits.maxDepth} levels`, 'limits');
    this.pos++;
    const element: Element = { name: this.name(), attributes: [], children: [] };
    for (;;) {
      const spaced = this.spaces();
      const c = this.xml.charCodeAt(this.pos);
      if (c === 0x3e /* > */) {
        this.pos++;
        break;
      }
      if (c === 0x2f /* / */ && this.xml.charCodeAt(this.pos + 1) === 0x3e) {
        this.pos += 2;
        return element;
      }
      if (!spaced || Number.isNaN(c)) this.fail(Number.isNaN(c) ? `the start tag of '${element.name}' is not closed` : `unexpected '${this.xml[this.pos]}' in the start tag of '${element.name}'`);
      this.attribute(element);
    }
    this.content(element, depth, start);
    return element;
  }

  private attribute(element: Element): void {
    if (++this.attributes > this.limits.maxAttributes) this.fail(`more than ${this.limits.maxAttributes} attributes`, 'limits');
    const name = this.name();
    this.spaces();
    if (this.xml.charCodeAt(this.pos) !== 0x3d /* = */) this.fail(`attribute '${name}' has no value`);
    this.pos++;
    this.spaces();
    const quote = this.xml[this.pos];
    if (quote !== '"' && quote !== "'") this.fail(`the value of attribute '${name}' is not quoted`);
    this.pos++;
    const end = this.xml.indexOf(quote, this.pos);
    if (end === -1) this.fail(`the value of attribute '${name}' is not closed`);
    const raw = this.xml.slice(this.pos, end);
    if (raw.includes('<')) this.fail(`'<' in the value of attribute '${name}'`);
    if (element.attributes.some(([n]) => n === name)) this.fail(`attribute '${name}' is repeated`);
    // Attribute-value normalisation: each white-space character becomes a space.
    element.attributes.push([name, this.references(raw.replace(/\r\n|[\r\n\t]/g, ' '), this.pos)]);
    this.pos = end + 1;
  }

  private content(element: Element, depth: number, start: number): void {
    const xml = this.xml;
    for (;;) {
      const lt = xml.indexOf('<', this.pos);
      if (lt === -1) this.fail(`element '${element.name}' is not closed`, 'xml', start);
      if (lt > this.pos) {
        const text = xml.slice(this.pos, lt);
        if (text.includes(']]>')) this.fail("']]>' in text");
        element.children.push(this.references(lineEnds(text), this.pos));
        this.pos = lt;
      }
      const next = xml.charCodeAt(lt + 1);
      if (next === 0x2f /* / */) {
        this.pos += 2;
        const name = this.name();
        this.spaces();
        if (name !== element.name) this.fail(`expected the end tag of '${element.name}', not of '${name}'`);
        if (xml.charCodeAt(this.pos) !== 0x3e) this.fail(`the end tag of '${name}' is not closed`);
        this.pos++;
        return;
      }
      if (next === 0x21 /* ! */) {
        if (xml.startsWith('<![CDATA[', lt)) {
          this.pos += 9;
          element.children.push(lineEnds(this.skipPast(']]>', 'a CDATA section')));
        } else if (xml.startsWith('<!--', lt)) {
          this.comment();
        } else {
          this.fail('DOCTYPE and other declarations are not accepted in a request', 'limits');
        }
      } else if (next === 0x3f /* ? */) {
        this.instruction();
      } else {
        element.children.push(this.element(depth + 1));
      }
    }
  }

  /** Resolve references in text or an attribute value found at `at`. */
  private references(text: string, at: number): string {
    let amp = text.indexOf('&');
    if (amp === -1) return text;
    let out = '';
    let from = 0;
    for (; amp !== -1; amp = text.indexOf('&', from)) {
      REFERENCE.lastIndex = amp;
      const ref = REFERENCE.exec(text);
      if (!ref) this.fail("'&' that starts no reference (write it as &amp;)", 'xml', at + amp);
      const [whole, hex, dec, name] = ref;
      let char: string | undefined;
      if (name !== undefined) {
        char = ENTITIES[name];
        if (char === undefined) this.fail(`entity '${whole}' is not defined`, 'xml', at + amp);
      } else {
        const cp = hex !== undefined ? parseInt(hex, 16) : Number(dec);
        if (!isXmlChar(cp)) this.fail(`'${whole}' is no XML character`, 'xml', at + amp);
        char = String.fromCodePoint(cp);
      }
      out += text.slice(from, amp) + char;
      from = amp + whole.length;
    }
    return out + text.slice(from);
  }
}

/** XML line-end handling: CR LF and a lone CR become LF (a CR written as `&#13;` stays). */
function lineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** The text of an element that may hold text only; a child element is a structure error. */
function textOf(element: Element): string {
  let out = '';
  for (const child of element.children) {
    if (typeof child !== 'string') throw new RequestSyntaxError(`Error after '${element.name.toUpperCase()}'`, 'structure');
    out += child;
  }
  return out;
}

/** The tags of a COMMAND element, names upper-cased. */
function commandOf(command: Element): Pick<ParsedRequest, 'object' | 'action' | 'tags'> {
  let object: string | undefined;
  let action: string | undefined;
  for (const [key, value] of command.attributes) {
    const upper = key.toUpperCase();
    if (upper === 'OBJECT') object = value.trim();
    else if (upper === 'ACTION') action = value.trim();
  }
  const tags: Array<[string, string]> = [];
  for (const tag of command.children) {
    if (typeof tag !== 'string') tags.push([tag.name.toUpperCase(), textOf(tag)]);
  }
  return { object, action, tags };
}

/**
 * Parse the XML of a request (README, "Protocol notes"): element names, OBJECT and ACTION
 * are case-insensitive; `&rsquot;` (the guide's apostrophe) and CDATA are accepted; whitespace
 * between tags is ignored. Syntax is checked for the whole document before its shape.
 * TENANT and USERNAME are trimmed; PASSWORD is kept exactly as sent, since a password is
 * compared byte for byte. Each of the three may appear once.
 */
export function parseRequestXml(input: string, limits: ParseLimits = DEFAULT_LIMITS, shape: RequestShape = 'wapi'): ParsedRequest {
  const xml = input.trim();
  if (xml === '') throw new RequestSyntaxError('empty', 'empty');
  if (!xml.startsWith('<')) throw new RequestSyntaxError('not XML', 'xml');
  // XML 1.0 cannot hold these characters, raw or as references: a real XML parser (PHP's
  // among them) refuses the document, so the emulator does too.
  const bad = nonXmlCharAt(xml);
  if (bad) throw syntaxError(xml, bad.index, `character ${bad.char} is not allowed in XML`, 'xml');
  const root = new XmlReader(xml, limits).read();
  const rootName = root.name.toUpperCase();
  if (shape === 'gateway' && rootName === 'COMMAND') {
    return { tenant: undefined, username: undefined, password: undefined, hasCommand: true, envelope: false, ...commandOf(root) };
  }
  if (rootName !== 'WAPI') throw new RequestSyntaxError(`Error after '${rootName}'`, 'structure');
  const login: { TENANT?: string; USERNAME?: string; PASSWORD?: string } = {};
  let command: Pick<ParsedRequest, 'object' | 'action' | 'tags'> = { object: undefined, action: undefined, tags: [] };
  let hasCommand = false;
  for (const child of root.children) {
    if (typeof child === 'string') continue;
    const name = child.name.toUpperCase();
    if (name === 'TENANT' || name === 'USERNAME' || name === 'PASSWORD') {
      // Two PASSWORD elements leave no telling which one a server checks: refused.
      if (login[name] !== undefined) throw new RequestSyntaxError(name, 'duplicate');
      const text = textOf(child);
      login[name] = name === 'PASSWORD' ? text : text.trim();
    } else if (name === 'COMMAND') {
      if (hasCommand) throw new RequestSyntaxError(`Error after '${name}'`, 'structure');
      hasCommand = true;
      command = commandOf(child);
    } else {
      throw new RequestSyntaxError(`Error after '${name}'`, 'structure');
    }
  }
  return { tenant: login.TENANT, username: login.USERNAME, password: login.PASSWORD, hasCommand, envelope: true, ...command };
}
