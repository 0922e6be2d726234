import { describe, expect, it } from 'vitest';
import { checkHeader } from '../../../src/mapping/check-header.js';
import { parseMapping } from '../../../src/mapping/load-mapping.js';

const mapping = parseMapping(
  [
    'object: customer',
    'action: modify',
    'key: Legacy ID',
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
      'people.yaml: key: column "Legacy ID" is not in the CSV header (did you mean "\uFEFFlegacy id"?)',
      'people.yaml: id: column "acct" is not in the CSV header',
      'people.yaml: fields.FIRSTNAME.column: column "first_name" is not in the CSV header (did you mean "First_Name"?)',
      'people.yaml: fields.LASTNAME.column: column "last_name" is not in the CSV header',
      'people.yaml: fields.COMMENTS.template: column "Title" is not in the CSV header (did you mean "title"?)',
      'people.yaml: fields["CF02.NAME"].column: column "nick" is not in the CSV header',
    ]);
  });

  it('names the column of a reference', () => {
    const cases = parseMapping('object: case\naction: add\nkey: t\nfields:\n  ACCOUNTNUM: { ref: customers, column: customer_id }\n  SUBJECT: s\n  DESCRIPTION: d\n', 'cases.yaml');
    expect(checkHeader(cases, ['t', 's', 'd', 'Customer ID'])).toEqual([
      'cases.yaml: fields.ACCOUNTNUM.column: column "customer_id" is not in the CSV header',
    ]);
  });
});
