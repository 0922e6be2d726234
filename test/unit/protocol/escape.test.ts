import { describe, expect, it } from 'vitest';
import { escapeLatin1 } from '../../../src/emulator/reply-escape.js';
import { escapeValue, isValidTagName, normaliseLineEnds } from '../../../src/protocol/escape.js';
import { findNonXmlChar } from '../../../src/protocol/xml-chars.js';

describe('escapeValue (requests)', () => {
  it.each([
    ['plain', 'plain'],
    ['a & b', 'a &amp; b'],
    ['&amp;', '&amp;amp;'],
    ['&lt;', '&amp;lt;'],
    ['&#19990;', '&amp;#19990;'],
    ['1 < 2 > 0', '1 &lt; 2 &gt; 0'],
    // The guide: "If a request contains one or more quote (') characters, they must be encoded as &rsquot;."
    ["O'Brien", 'O&rsquot;Brien'],
    ["''", '&rsquot;&rsquot;'],
    ['say "hi"', 'say "hi"'],
    ['</FIRSTNAME><ACCOUNTNUM>1', '&lt;/FIRSTNAME&gt;&lt;ACCOUNTNUM&gt;1'],
    ['<![CDATA[x]]>', '&lt;![CDATA[x]]&gt;'],
    [']]>', ']]&gt;'],
    ['<!-- c -->', '&lt;!-- c --&gt;'],
    ['<?php ?>', '&lt;?php ?&gt;'],
    ['100% ~!#$^*', '100% ~!#$^*'],
    ['é 王 😀', 'é 王 😀'],
  ])('%j -> %j', (value, escaped) => {
    expect(escapeValue(value)).toBe(escaped);
  });
});

describe('findNonXmlChar', () => {
  it.each([
    ['\u0000', 'U+0000'],
    ['a\u0001b', 'U+0001'],
    ['\u0008', 'U+0008'],
    ['\u000B', 'U+000B'],
    ['\u000C', 'U+000C'],
    ['\u000E', 'U+000E'],
    ['\u001F', 'U+001F'],
    ['\uFFFE', 'U+FFFE'],
    ['\uFFFF', 'U+FFFF'],
    ['lone high \uD83D end', 'U+D83D'],
    ['\uD83D', 'U+D83D'],
    ['lone low \uDE00', 'U+DE00'],
    ['swapped \uDE00\uD83D', 'U+DE00'],
  ])('refuses %j (%s)', (value, reported) => {
    expect(findNonXmlChar(value)).toBe(reported);
  });

  it.each([
    ['tab, LF, CR', 'a\tb\nc\rd'],
    ['space and DEL', ' \u007F'],
    ['C1 controls and NBSP', '\u0080\u009F\u00A0'],
    ['BMP edges', '\uD7FF\uE000\uFFFD'],
    ['a surrogate pair', '😀'],
    ['the last code point', '\u{10FFFF}'],
    ['empty', ''],
  ])('accepts %s', (_, value) => {
    expect(findNonXmlChar(value)).toBeUndefined();
  });
});

describe('normaliseLineEnds', () => {
  it.each([
    ['a\r\nb', 'a\nb'],
    ['a\rb', 'a\nb'],
    ['a\nb', 'a\nb'],
    ['a\r\r\nb', 'a\n\nb'],
    ['\r\n\r\n', '\n\n'],
    ['\n\r', '\n\n'],
    ['no line end', 'no line end'],
  ])('%j -> %j', (value, normalised) => {
    expect(normaliseLineEnds(value)).toBe(normalised);
  });
});

describe('isValidTagName', () => {
  it.each(['FIRSTNAME', 'ADDR1STR1', 'CF01_PICKLIST.NAME', 'CF02.NAME', 'task_text', 'TASK_STATUS', '_X', 'A-B', 'Description'])(
    'accepts %s',
    (name) => {
      expect(isValidTagName(name)).toBe(true);
    },
  );

  it.each([
    '',
    'ADDR2 STATE',
    '1ABC',
    '.NAME',
    '-X',
    'A>B',
    'A<B',
    'A/B',
    'A"B',
    "A'B",
    'A=B',
    'ns:TAG',
    'FIRSTNAME><ACCOUNTNUM',
    'É',
    'A\nB',
  ])('refuses %j', (name) => {
    expect(isValidTagName(name)).toBe(false);
  });
});

describe('escapeLatin1 (replies, used by the emulator)', () => {
  it.each([
    ['plain', 'plain'],
    ['a & b', 'a &amp; b'],
    ['&amp;', '&amp;amp;'],
    ['<x>', '&lt;x&gt;'],
    ['say "hi"', 'say &quot;hi&quot;'],
    // A raw CR would reach the client as LF (XML line-end handling); a reference survives.
    ['a\r\nb\rc', 'a&#13;\nb&#13;c'],
    // Apostrophes stay raw in replies: `&rsquot;` is only what requests use.
    ["O'Brien", "O'Brien"],
    // Latin-1 is written as is; the body is encoded ISO-8859-1.
    ['café ÿ \u00A0', 'café ÿ \u00A0'],
    ['王', '&#29579;'],
    ['世界', '&#19990;&#30028;'],
    ['😀', '&#128512;'],
    ['\u0100', '&#256;'],
    ['\u{10FFFF}', '&#1114111;'],
    ['é王😀&', 'é&#29579;&#128512;&amp;'],
  ])('%j -> %j', (value, escaped) => {
    expect(escapeLatin1(value)).toBe(escaped);
  });

  it('leaves nothing outside Latin-1 in its output', () => {
    const out = escapeLatin1('mixed é 王 😀 \u{1F600}\u{10000} end');
    expect(out).toMatch(/^[\u0000-\u00FF]*$/);
    expect(Buffer.from(out, 'latin1').toString('latin1')).toBe(out);
  });
});
