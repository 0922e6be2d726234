import { describe, expect, it } from 'vitest';
import { checkHeader, sniffDelimiter } from '../../../src/mapping/check-header.js';
import { parseMapping } from '../../../src/mapping/load-mapping.js';

const mapping = parseMapping(
  [
    'object: customer',
    'action: modify',
    'key: Legacy ID',
    'customFields: [CF02.NAME]',
    'id: acct',
    'fields:',
    '  FIRSTNAME: first_name',
    '  LASTNAME: { column: last_name }',
    '  COMMENTS: { template: "{Title} {background}" }',
    '  CF02.NAME: nick',
  ].join('\n'),
  'people.yaml',
);

describe('checkHeader', () => {
  it('is empty when the header has every column', () => {
    expect(checkHeader(mapping, ['acct', 'Legacy ID', 'first_name', 'last_name', 'Title', 'background', 'nick', 'extra'])).toEqual([]);
  });

  it('names each missing column with its mapping path, and suggests a near header', () => {
    expect(checkHeader(mapping, ['\uFEFFlegacy id', 'First_Name', 'title', 'background', 'nick name'])).toEqual([
      'people.yaml: key: column "Legacy ID" is not in the CSV header (did you mean "legacy id"? The header also starts with a byte-order mark: remove csv.bom: false)',
      'people.yaml: id: column "acct" is not in the CSV header',
      'people.yaml: fields.FIRSTNAME.column: column "first_name" is not in the CSV header (did you mean "First_Name"?)',
      'people.yaml: fields.LASTNAME.column: column "last_name" is not in the CSV header',
      'people.yaml: fields.COMMENTS.template: column "Title" is not in the CSV header (did you mean "title"?)',
      'people.yaml: fields["CF02.NAME"].column: column "nick" is not in the CSV header',
    ]);
  });

  it('a byte-order mark kept by bom: false is named, never suggested as part of a column name', () => {
    // Found in review: the hint suggested "\uFEFFid", a name with an invisible character in it.
    const m = parseMapping('object: customer\naction: modify\nkey: id\nid: acct\nfields:\n  FIRSTNAME: first\n', 'p.yaml');
    const [message] = checkHeader(m, ['\uFEFFid', 'acct', 'first']);
    expect(message).toBe('p.yaml: key: column "id" is not in the CSV header (the header starts with a byte-order mark that was kept: remove csv.bom: false from the mapping)');
    expect(message).not.toContain('\uFEFF');
  });

  it.each([
    [';', 'id;acct;first', '";"'],
    ['\t', 'id\tacct\tfirst', '"\\t"'],
    ['|', 'id|acct|first', '"|"'],
  ])('a header split on the wrong delimiter says which delimiter it looks like (%j)', (_d, line, shown) => {
    // Found in review: a ;-delimited file gave one "not in the header" line per field and no clue.
    const m = parseMapping('object: customer\naction: modify\nkey: id\nid: acct\nfields:\n  FIRSTNAME: first\n', 'p.yaml');
    expect(sniffDelimiter(m, [line])).toBe(`the header looks ${shown}-delimited: add csv: { delimiter: ${shown} } to the mapping`);
    expect(sniffDelimiter(m, ['id', 'acct', 'first'])).toBeUndefined();
  });

  it('names the column of a reference', () => {
    const cases = parseMapping('object: case\naction: add\nkey: t\nfields:\n  ACCOUNTNUM: { ref: customers, column: customer_id }\n  SUBJECT: s\n  DESCRIPTION: d\n', 'cases.yaml');
    expect(checkHeader(cases, ['t', 's', 'd', 'Customer ID'])).toEqual([
      'cases.yaml: fields.ACCOUNTNUM.column: column "customer_id" is not in the CSV header',
    ]);
  });
});
