/** Table tests of the pure comparison behind upsert's "unchanged" (kept beside the import tests). */
import { describe, expect, it } from 'vitest';
import { CATALOGUE, fieldDef } from '../../../src/protocol/catalogue.js';
import { changedTags, sameValue } from '../../../src/import/same-values.js';

const customer = (tag: string) => fieldDef(CATALOGUE.CUSTOMER, tag);
const task = (tag: string) => fieldDef(CATALOGUE.TASK, tag);

describe('sameValue', () => {
  it.each([
    ['plain equal', undefined, 'abc', 'abc', true],
    ['different', undefined, 'abc', 'abd', false],
    ['absent in the record', undefined, 'abc', undefined, false],
    ['CRLF sent, LF stored', customer('COMMENTS'), 'a\r\nb', 'a\nb', true],
    ['lone CR sent', customer('COMMENTS'), 'a\rb', 'a\nb', true],
    ['case matters for text', customer('FIRSTNAME'), 'ann', 'Ann', false],
    ['AUTOPASSWD is case-insensitive', customer('AUTOPASSWD'), 'TRUE', 'true', true],
    ['task DUEDATE vs reply timestamp', task('DUEDATE'), '030120240930', '03012024 09:30:00', true],
    ['task DUEDATE, other minute', task('DUEDATE'), '030120240930', '03012024 09:31:00', false],
    ['date only vs midnight', task('DUEDATE'), '03012024', '03012024 00:00:00', true],
    ['date only vs a time of day', task('DUEDATE'), '03012024', '03012024 14:30:00', false],
    ['trailing space is a change', undefined, 'a ', 'a', false],
  ])('%s', (_name, def, sent, stored, expected) => {
    expect(sameValue(def, sent, stored)).toBe(expected);
  });
});

describe('changedTags', () => {
  it('lists the tags whose values differ, by the reply tag in upper case', () => {
    const record = { FIRSTNAME: 'Ann', COMMENTS: 'x\ny', LEGACY_ID: 'C1' };
    expect(changedTags([['FIRSTNAME', 'Ann'], ['COMMENTS', 'x\r\ny'], ['LEGACY_ID', 'C1']], record, customer)).toEqual([]);
    expect(changedTags([['FIRSTNAME', 'Anne'], ['Legacy_Id', 'C2']], record, customer)).toEqual(['FIRSTNAME', 'Legacy_Id']);
  });
});
