import { afterEach, describe, expect, it } from 'vitest';
import { recordKey } from '../../../src/export/record-key.js';
import { JoinSpool, type Item } from '../../../src/reconcile/join-spool.js';

const customerIdent = (item: Item) => item['ACCOUNTNUM']?.trim() ?? '';

describe('JoinSpool: both sides of a reconcile in a temporary SQLite file', () => {
  let spool: JoinSpool;
  afterEach(() => spool.close());

  const customers = () => new JoinSpool(['LEGACY_ID', 'COMPANY'], recordKey('CUSTOMER', 'ACCOUNTNUM'), customerIdent, 'LEGACY_ID');

  it('keeps a record seen twice once, and only the fields asked for (a tag the reply lacks as empty)', () => {
    spool = customers();
    expect(spool.addRecords([{ ACCOUNTNUM: '10', LEGACY_ID: 'A', COMPANY: 'Acme', FIRSTNAME: 'x' }, { ACCOUNTNUM: '11', LEGACY_ID: 'B' }])).toEqual({ added: 2, withoutId: 0 });
    expect(spool.addRecords([{ ACCOUNTNUM: '10', LEGACY_ID: 'A', COMPANY: 'Other' }, { ACCOUNTNUM: '', LEGACY_ID: 'C' }])).toEqual({ added: 0, withoutId: 1 });
    expect(spool.records).toBe(2);
    expect(spool.byIdent('10')).toEqual({ key: 10, ident: '10', match: 'A', values: ['A', 'Acme'] });
    expect(spool.byIdent('11')?.values).toEqual(['B', '']);
    expect(spool.byIdent('12')).toBeUndefined();
  });

  it('finds records by match value, several when several carry it', () => {
    spool = customers();
    spool.addRecords([{ ACCOUNTNUM: '12', LEGACY_ID: 'A' }, { ACCOUNTNUM: '10', LEGACY_ID: 'A' }, { ACCOUNTNUM: '11', LEGACY_ID: 'B' }, { ACCOUNTNUM: '13', LEGACY_ID: '' }]);
    expect(spool.byMatch('A', 5).map((r) => r.key)).toEqual([10, 12]);
    expect(spool.byMatch('A', 1).map((r) => r.key)).toEqual([10]);
    expect(spool.byMatch('', 5)).toEqual([]);
  });

  it('gives source rows back in row order, whatever order they were added in, with their original fields', () => {
    spool = customers();
    spool.addSource({ kind: 'valid', row: 3, key: 'c', ident: '10', match: 'C', fields: [{ tag: 'ACCOUNTNUM', value: '5', from: 'customers 1' }], original: ['c', 'x,y'] });
    spool.addSource({ kind: 'invalid', row: 1, key: 'a', stage: 'validate', code: 'ROW_INVALID', message: 'bad', match: undefined, original: ['a', ''] });
    spool.addSource({ kind: 'valid', row: 2, key: 'b', ident: undefined, match: undefined, fields: [], original: ['b', 'é'] });
    expect(spool.sourceCount).toEqual({ valid: 2, invalid: 1 });
    expect([...spool.sources(2)]).toEqual([
      { kind: 'invalid', row: 1, key: 'a', stage: 'validate', code: 'ROW_INVALID', message: 'bad', match: undefined, original: ['a', ''] },
      { kind: 'valid', row: 2, key: 'b', ident: undefined, match: undefined, fields: [], original: ['b', 'é'] },
      { kind: 'valid', row: 3, key: 'c', ident: '10', match: 'C', fields: [{ tag: 'ACCOUNTNUM', value: '5', from: 'customers 1' }], original: ['c', 'x,y'] },
    ]);
  });

  it('extras: records whose match value no source row has; not records without one, nor one an invalid row names', () => {
    spool = customers();
    spool.addRecords([
      { ACCOUNTNUM: '10', LEGACY_ID: 'A' },
      { ACCOUNTNUM: '11', LEGACY_ID: 'X' }, // no source row has X: extra
      { ACCOUNTNUM: '12', LEGACY_ID: '' }, // a customer without a LEGACY_ID is not "extra"
      { ACCOUNTNUM: '13' },
      { ACCOUNTNUM: '14', LEGACY_ID: 'B' }, // its source row was refused, but it names B
      { ACCOUNTNUM: '15', LEGACY_ID: 'a' }, // match values are compared as the API searches them: exactly
    ]);
    spool.addSource({ kind: 'valid', row: 1, key: 'A', ident: undefined, match: 'A', fields: [], original: [] });
    spool.addSource({ kind: 'invalid', row: 2, key: 'B', stage: 'validate', code: 'ROW_INVALID', message: 'bad', match: 'B', original: [] });
    expect([...spool.extras(1)].map((r) => [r.ident, r.match])).toEqual([
      ['11', 'X'],
      ['15', 'a'],
    ]);
  });

  it('follow-ups: keyed by FOLLOWUPID, named by case and number', () => {
    spool = new JoinSpool(['SUBJECT'], recordKey('FOLLOWUP', 'FOLLOWUPNUM'), (i) => `${i['CASENUM']}/${i['FOLLOWUPNUM']}`, undefined);
    spool.addRecords([
      { FOLLOWUPID: '7', CASENUM: '3', FOLLOWUPNUM: '1', SUBJECT: 'a' },
      { FOLLOWUPID: '8', CASENUM: '4', FOLLOWUPNUM: '1', SUBJECT: 'b' },
    ]);
    expect(spool.byIdent('4/1')).toMatchObject({ key: 8, match: null, values: ['b'] });
    expect([...spool.extras()]).toEqual([]);
  });
});
