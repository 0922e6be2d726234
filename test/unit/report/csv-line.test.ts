import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../../src/report/csv-line.js';

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

const ALPHABET = ['a', 'Z', '0', ' ', ',', ';', '\t', '|', '"', "'", '\n', '\r', '#', '=', 'é', '世', '🚀', '\u2028'];

describe('csvLine', () => {
  it.each([
    [['a', 'b'], ',', 'a,b\n'],
    [['', ''], ',', ',\n'],
    [['a,b', 'x'], ',', '"a,b",x\n'],
    [['a,b', 'x'], ';', 'a,b;x\n'],
    [['say "hi"'], ',', '"say ""hi"""\n'],
    [['line\r\nbreak'], ',', '"line\r\nbreak"\n'],
    [[' padded '], ',', ' padded \n'],
  ])('%j with %j', (fields, delimiter, expected) => {
    expect(csvLine(fields, delimiter)).toBe(expected);
  });

  it('writes exactly what csv-stringify writes, over a generated corpus and four delimiters', () => {
    const next = random(7);
    for (const delimiter of [',', ';', '\t', '|']) {
      for (let n = 0; n < 2000; n++) {
        const fields = Array.from({ length: 1 + Math.floor(next() * 5) }, () =>
          Array.from({ length: Math.floor(next() * 6) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join(''),
        );
        const line = csvLine(fields, delimiter);
        expect(line).toBe(stringify([fields], { delimiter }));
        expect(parse(line, { delimiter, relax_column_count: true })).toEqual([fields]);
      }
    }
  });

  it('leaves a multi-character delimiter to csv-stringify', () => {
    expect(csvLine(['a:', 'b'], '::')).toBe(stringify([['a:', 'b']], { delimiter: '::' }));
  });
});
