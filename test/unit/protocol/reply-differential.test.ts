/**
 * The reply fast path (reply-scanner.ts) must agree with the full parser on every body: the same
 * reply, or both refuse. A seeded generator writes replies in every shape servers use (quotes,
 * case, whitespace, entities, self-closing tags, CR) and corrupts half of them (a bare `&`, an
 * entity split by another, a second STATUS, a raw control character, a cut...).
 */
import { describe, expect, it } from 'vitest';
import { parseReply, parseReplyFully } from '../../../src/protocol/reply.js';
import { scanReply } from '../../../src/protocol/reply-scanner.js';

/** A small seeded generator: the corpus is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Pick = <T>(list: readonly T[]) => T;

/** Text pieces that are well-formed in content and in a quoted attribute. */
const TEXT = ['plain', '00123', ' ', 'é ÿ', '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#233;', '&#xE9;', '&#19990;', '&#x1F600;', '&#13;', '&#10;', '&#9;', '\n', '\r\n', '\r', '\t', "it's", 'x y=z', '&amp;#19990;', '&amp;amp;', '%'];
/** Pieces a well-formed body cannot hold in content, or that only the full parser reads. */
const BAD_TEXT = ['<ITEM/>', '< ITEM>', '<?XML version="1.0"?>', '<?xml version="1.0" encoding="ISO-8859-1?>', '&', '&am&amp;p;', '&nbsp;', '&#0;', '&#1;', '&#xFFFE;', '&#xD800;', '&#;', '&#x;', '&amp', '\u0001', '\u0008', '\u001F', '<', '<![CDATA[c]]>', '<!-- c -->', '<?pi x?>', ']]>', '&#1114112;', '&#99999999;'];
const TAGS = ['FIRSTNAME', 'ACCOUNTNUM', 'customertype', 'Pbx', 'CF02.NAME', 'A_B', 'X-Y', 'ITEMS', 'STATUS'];
const SPACE = ['', '', '', '\n', ' ', '\r\n', '\t'];

function text(pick: Pick, next: () => number, bad: boolean): string {
  const parts = Array.from({ length: Math.floor(next() * 4) }, () => pick(TEXT));
  if (bad) parts.splice(Math.floor(next() * (parts.length + 1)), 0, pick(BAD_TEXT));
  return parts.join('');
}

function leaf(pick: Pick, next: () => number): string {
  const tag = pick(TAGS);
  const value = text(pick, next, false);
  const form = next();
  if (form < 0.2) return `<${tag}/>`;
  if (form < 0.3) return `<${tag} />`;
  if (form < 0.4) return `<${tag}></${tag}>`;
  if (form < 0.5) return `<${tag}>${value}</${tag} >`;
  return `<${tag}>${value}</${tag}>`;
}

function attribute(pick: Pick, next: () => number, name: string, value: string): string {
  const quote = next();
  const eq = pick(['=', '=', ' = ']);
  if (quote < 0.1 && /^[\w.-]+$/.test(value)) return ` ${name}${eq}${value}`;
  if (quote < 0.25) return ` ${name}${eq}'${value.replaceAll("'", '&apos;')}'`;
  return ` ${name}${eq}"${value.replaceAll('"', '&quot;')}"`;
}

/** A well-formed reply in one of the shapes servers write. */
function reply(next: () => number): string {
  const pick: Pick = (list) => list[Math.floor(next() * list.length)] as (typeof list)[number];
  const attrs = [
    ['STATUS', pick(['0', '-1', '303', ' 0 ', '310'])],
    ['ERROR_CODE', pick(['0', '5', '', '81'])],
    ['ERROR_STR', text(pick, next, false)],
  ].filter(() => next() > 0.1);
  if (!attrs.some(([n]) => n === 'STATUS')) attrs.unshift(['STATUS', '0']);
  attrs.sort(() => next() - 0.5);
  const start = attrs.map(([n, v]) => attribute(pick, next, next() < 0.2 ? (n as string).toLowerCase() : (n as string), v as string)).join('');
  const children: string[] = [];
  for (let i = Math.floor(next() * 3); i > 0; i--) children.push(leaf(pick, next));
  for (let i = Math.floor(next() * 4); i > 0; i--) {
    const item = Array.from({ length: Math.floor(next() * 5) }, () => leaf(pick, next) + pick(SPACE));
    const name = pick(['ITEM', 'ITEM', 'item']);
    children.push(`<${name}>${pick(SPACE)}${item.join('')}</${name}>`);
  }
  const prolog = pick(['', '<?xml version="1.0" encoding="ISO-8859-1"?>', '<?xml version="1.0"?>\n', "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>", '\n  ', '\uFEFF']);
  const wapi = pick(['WAPI', 'WAPI', 'wapi']);
  const body = children.length === 0 && next() < 0.7 ? `<REPLY${start}${pick(['/>', ' />'])}` : `<REPLY${start}>${children.map((c) => c + pick(SPACE)).join('')}</REPLY>`;
  return `${prolog}<${wapi}>${pick(SPACE)}${body}${pick(SPACE)}</${wapi}>${pick(['', '\n'])}`;
}

/** One corruption of a well-formed body. */
function corrupt(xml: string, next: () => number): string {
  const pick: Pick = (list) => list[Math.floor(next() * list.length)] as (typeof list)[number];
  const at = Math.floor(next() * (xml.length + 1));
  switch (Math.floor(next() * 7)) {
    case 0: // a piece only the full parser can judge, somewhere
      return xml.slice(0, at) + pick(BAD_TEXT) + xml.slice(at);
    case 1: // inside a value
      return xml.replace(/>([^<]*)</, (_m, v: string) => `>${v}${text(pick, next, true)}<`);
    case 2: // inside an attribute value
      return xml.replace(/(STATUS|ERROR_STR|ERROR_CODE)\s*=\s*"/i, (m) => m + pick(BAD_TEXT).replaceAll('"', ''));
    case 3: // a second attribute of the same name
      return xml.replace(/<REPLY\b/i, (m) => `${m} ${pick(['STATUS', 'status', 'ERROR_CODE', 'ERROR_STR'])}="${pick(['1', '0', '-1'])}"`);
    case 4: // cut short, or a closing tag in another case
      if (next() < 0.3) return xml.replace(/<\/(ITEM|REPLY|WAPI)>/i, (_m, name: string) => `</${name === name.toUpperCase() ? name.toLowerCase() : name.toUpperCase()}>`);
      return xml.slice(0, at);
    case 5: // a character dropped
      return xml.slice(0, at) + xml.slice(at + 1);
    default: // a tag repeated or renamed
      return xml.replace(/<\/([A-Za-z_][\w.-]*)>/, (m, name: string) => (next() < 0.5 ? `${m}<${name}>dup</${name}>` : `</${name}x>`));
  }
}

/** What a parser makes of a body: the reply, or the error's code. */
function outcome(parse: (body: string) => unknown, body: string): unknown {
  try {
    return parse(body);
  } catch (error) {
    return { error: (error as { code?: string }).code ?? (error as Error).message };
  }
}

describe('the reply fast path and the full parser, over a generated corpus', () => {
  it('agree on 4,000 replies, half of them corrupted: the same reply, or both refuse', () => {
    const next = random(11);
    let fast = 0;
    const disagreements: string[] = [];
    for (let n = 0; n < 4000; n++) {
      let xml = reply(next);
      if (n % 2 === 1) xml = corrupt(xml, next);
      if (scanReply(xml.trimStart()) !== undefined) fast++;
      const a = outcome(parseReply, xml);
      const b = outcome(parseReplyFully, xml);
      if (JSON.stringify(a) !== JSON.stringify(b)) disagreements.push(`${JSON.stringify(xml)}\n  fast: ${JSON.stringify(a)}\n  full: ${JSON.stringify(b)}`);
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    // The corpus must exercise the fast path, not only the fallback.
    expect(fast).toBeGreaterThan(1000);
  });
});
