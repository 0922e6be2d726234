import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, readCsv, readSummary, useCredentialsEnv, workspace, type Workspace } from './helpers.js';

beforeAll(useCredentialsEnv);

describe('messy CSV input', () => {
  let ws: Workspace;
  beforeEach(async () => (ws = await workspace()));
  afterEach(async () => ws.close());

  const run = (csv: string, mapping: string, out: string) =>
    ws.cli(['import', csv.startsWith('/') ? csv : fixture(csv), '--mapping', fixture(mapping), '--out', out]);
  const customer = async (legacyId: string) => (await ws.get('CUSTOMER', [['LEGACY_ID', legacyId]]))[0];

  it('UTF-8 with a BOM and CRLF line ends, a quoted CRLF inside a field', async () => {
    expect((await run('bom-crlf.csv', 'customers.yaml', 'o')).code).toBe(0);
    expect(await customer('B1')).toMatchObject({ FIRSTNAME: 'Åsa', LASTNAME: 'Öberg', COMMENTS: 'line one\nline two' });
    // The BOM is not part of the first column's name: the key column was found.
    expect(readCsv(join(ws.dir, 'o', 'success.csv')).map((r) => r['key'])).toEqual(expect.arrayContaining(['B1', 'B2']));
    // Same file again: the CRLF in the note does not read as a change.
    await run('bom-crlf.csv', 'customers.yaml', 'o2');
    expect(readSummary(join(ws.dir, 'o2'))).toMatchObject({ unchanged: 2 });
  });

  it('a Latin-1 file, read and reported in Latin-1', async () => {
    expect((await run('latin1.csv', 'customers-latin1.yaml', 'o')).code).toBe(0);
    expect(await customer('L1')).toMatchObject({ FIRSTNAME: 'François', LASTNAME: 'Größe', COMMENTS: 'Crème brûlée £5 ½ price' });
    expect(await customer('L2')).toMatchObject({ FIRSTNAME: 'Señor', LASTNAME: 'Ñandú' });
    const success = readCsv(join(ws.dir, 'o', 'success.csv'), { encoding: 'latin1' });
    expect(success.find((r) => r['key'] === 'L1')?.['first_name']).toBe('François');
  });

  it('UTF-16LE with a BOM', async () => {
    expect((await run('utf16le.csv', 'customers-utf16le.yaml', 'o')).code).toBe(0);
    expect(await customer('U1')).toMatchObject({ FIRSTNAME: 'Jürgen', LASTNAME: 'Weiß', COMMENTS: '日本語のメモ' });
    const bytes = readFileSync(join(ws.dir, 'o', 'success.csv'));
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.toString('utf16le')).toContain('Jürgen');
  });

  it('a semicolon delimiter, with the reports in the same dialect', async () => {
    expect((await run('semicolon.csv', 'customers-semicolon.yaml', 'o')).code).toBe(0);
    expect(await customer('S1')).toMatchObject({ FIRSTNAME: 'Anna', COMMENTS: 'Notes; with, both' });
    expect(await customer('S2')).toMatchObject({ COMMENTS: '1,5 kg' });
    expect(readFileSync(join(ws.dir, 'o', 'success.csv'), 'utf8').split('\n')[0]).toBe('row;key;action;id;note;legacy_id;first_name;last_name;email;country;tier;notes');
  });

  it('ragged rows are row errors naming both counts; the others go through', async () => {
    const result = await run('ragged.csv', 'customers.yaml', 'o');
    expect(result.code).toBe(1);
    const errors = readCsv(join(ws.dir, 'o', 'errors.csv'));
    expect(errors.map((e) => [e['row'], e['key'], e['stage'], e['error']])).toEqual(
      expect.arrayContaining([
        ['2', 'R2', 'parse', 'row has 5 fields, header has 7'],
        ['3', 'R3', 'parse', 'row has 9 fields, header has 7'],
      ]),
    );
    expect(readSummary(join(ws.dir, 'o'))).toMatchObject({ rows: 4, succeeded: 2, failed: 2 });
    expect(await customer('R2')).toBeUndefined();
  });

  it('csv-spectrum-like edge cases: quotes, commas and blank lines inside fields, blank lines between records, no final newline', async () => {
    expect((await run('edge-cases.csv', 'customers.yaml', 'o')).code).toBe(0);
    expect(readSummary(join(ws.dir, 'o'))).toMatchObject({ rows: 4, succeeded: 4 });
    expect(await customer('E1')).toMatchObject({ FIRSTNAME: 'Quoted', LASTNAME: 'With "quotes"', COMMENTS: 'comma, inside' });
    expect(await customer('E3')).toMatchObject({ COMMENTS: 'a\n\nb\n' });
    expect((await customer('E4'))?.['ADDR1COUNTRY']).toBe('United States');
    // Row numbers count records, not lines: the blank line is not a record.
    const rows = Object.fromEntries(readCsv(join(ws.dir, 'o', 'success.csv')).map((r) => [r['key'], r['row']]));
    expect(rows).toEqual({ E1: '1', E2: '2', E3: '3', E4: '4' });
  });

  it('a CSV syntax error stops the run before any row is sent, naming the file and the line', async () => {
    const result = await run('bad-quote.csv', 'customers.yaml', 'o');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(fixture('bad-quote.csv'));
    expect(result.stderr).toMatch(/line 3/);
    expect(await customer('Q1')).toBeUndefined();
  });

  it('errors.csv fed back in, as is, with the same mapping: fixed rows go through', async () => {
    expect((await run('ragged.csv', 'customers.yaml', 'first')).code).toBe(1);
    const errorsFile = join(ws.dir, 'first', 'errors.csv');
    // The user fixes the two ragged rows in place; the leading report columns stay.
    const fixed = readFileSync(errorsFile, 'utf8')
      .replace('R2,Short,Row,short@example.com,US', 'R2,Short,Row,short@example.com,US,,')
      .replace('R3,Long,Row,long@example.com,US,,x,extra,more', 'R3,Long,Row,long@example.com,US,,x');
    const input = ws.write('fixed.csv', fixed);
    const again = await run(input, 'customers.yaml', 'second');
    expect(again.stderr).not.toMatch(/wapi-bulk:|error/i);
    expect(again.code).toBe(0);
    const success = readCsv(join(ws.dir, 'second', 'success.csv'));
    expect(success.map((r) => r['key']).sort()).toEqual(['R2', 'R3']);
    // The echoed columns are the original ones, not row,key,stage... twice.
    expect(Object.keys(success[0] as object)).toEqual(['row', 'key', 'action', 'id', 'note', 'legacy_id', 'first_name', 'last_name', 'email', 'country', 'tier', 'notes']);
    expect(await customer('R3')).toMatchObject({ COMMENTS: 'x' });
  });

  it('an errors.csv fed back in unchanged fails the same rows again, and its errors.csv has one set of report columns', async () => {
    await run('ragged.csv', 'customers.yaml', 'first');
    const again = await run(join(ws.dir, 'first', 'errors.csv'), 'customers.yaml', 'second');
    expect(again.code).toBe(1);
    const header = readFileSync(join(ws.dir, 'second', 'errors.csv'), 'utf8').split('\n')[0];
    expect(header).toBe('row,key,stage,code,error,legacy_id,first_name,last_name,email,country,tier,notes');
  });

  it('columns named like Object.prototype members (__proto__, constructor) are plain columns', async () => {
    // Rows used to be built as plain objects: a "__proto__" column set the prototype instead.
    const mapping = ws.write(
      'proto.yaml',
      'name: customers\nobject: customer\naction: add\nkey: legacy_id\ncustomFields: [LEGACY_ID]\nfields:\n  FIRSTNAME: constructor\n  LASTNAME: last_name\n  COMMENTS: __proto__\n  AUTOPASSWD: { value: "TRUE" }\n  LEGACY_ID: legacy_id\n',
    );
    const csv = ws.write('proto.csv', 'legacy_id,constructor,last_name,__proto__\nP1,Con,Structor,proto note\n');
    const result = await ws.cli(['import', csv, '--mapping', mapping, '--out', 'o']);
    expect(result.stderr).not.toMatch(/wapi-bulk:/);
    expect(result.code).toBe(0);
    expect(await customer('P1')).toMatchObject({ FIRSTNAME: 'Con', LASTNAME: 'Structor', COMMENTS: 'proto note' });
  });
});
