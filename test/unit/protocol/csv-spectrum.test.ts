/**
 * Our CSV reading baseline: csv-parse with `columns: true` reads the csv-spectrum corpus
 * (test/fixtures/csv-spectrum, BSD-2-Clause) to exactly its JSON counterparts. Values stay
 * strings ("08123" keeps its zero) and line ends inside quoted fields are kept as they are
 * (CRLF stays CRLF here; wapi-bulk normalises to LF only when it builds a request).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../fixtures/csv-spectrum/', import.meta.url);
const names = readdirSync(new URL('csvs/', dir))
  .filter((f) => f.endsWith('.csv'))
  .map((f) => f.slice(0, -'.csv'.length))
  .sort();

const csv = (name: string) => readFileSync(new URL(`csvs/${name}.csv`, dir));
const json = (name: string): unknown => JSON.parse(readFileSync(new URL(`json/${name}.json`, dir), 'utf8'));

// location_coordinates disagrees with itself upstream (max-mapper/csv-spectrum issues #20, #22):
// the JSON is a bare object and its phone number is not the CSV's. Tested apart below.
const KNOWN_BAD = 'location_coordinates';

describe('csv-spectrum through csv-parse (columns: true)', () => {
  it('has the whole corpus: 12 CSVs, each with its JSON', () => {
    expect(names).toHaveLength(12);
    for (const name of names) expect(json(name)).toBeDefined();
  });

  it.each(names.filter((n) => n !== KNOWN_BAD))('%s', (name) => {
    expect(parse(csv(name), { columns: true })).toEqual(json(name));
  });

  it(`${KNOWN_BAD}: a quote inside an unquoted field needs relax_quotes`, () => {
    expect(() => parse(csv(KNOWN_BAD), { columns: true })).toThrow(expect.objectContaining({ code: 'INVALID_OPENING_QUOTE' }));
    const expected: Record<string, string> = { ...(json(KNOWN_BAD) as Record<string, string>), 'Contact Phone Number': '2095257564' };
    expect(parse(csv(KNOWN_BAD), { columns: true, relax_quotes: true })).toEqual([expected]);
    // The CSV's U+FFFD (bytes EF BF BD) is read as UTF-8, one character.
    expect(expected['Location Coordinates']).toBe('37\uFFFD36\'37.8"N 121\uFFFD2\'17.9"W');
  });
});
