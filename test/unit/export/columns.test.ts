import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/protocol/catalogue.js';
import { cellValue, chooseColumns, defaultTags } from '../../../src/export/columns.js';
import { formatDate, reverseMapping } from '../../../src/export/reverse-mapping.js';
import { parseMapping } from '../../../src/mapping/index.js';
import { compileDateFormat, type CompiledDateFormat } from '../../../src/mapping/date-format.js';
import { outputPaths } from '../../../src/export/output-paths.js';

describe('export columns', () => {
  it('writes the reply fields in catalogue order, then the custom fields as first seen', () => {
    const tags = defaultTags(CATALOGUE.FAQCATEGORY, ['FAQCATEGORY', 'X_CUSTOM', 'FAQCATID', 'Y']);
    expect(tags).toEqual(['FAQCATID', 'FAQCATEGORY', 'PRIVATE', 'X_CUSTOM', 'Y']);
  });

  it('picks and orders columns, and warns of one the replies do not have', () => {
    const { columns, warnings } = chooseColumns(CATALOGUE.CUSTOMER, ['CF02.NAME'], { columns: ['lastname', 'ACCOUNTNUM', 'cf02.name', 'NOPE'] });
    expect(columns.map((c) => c.header)).toEqual(['LASTNAME', 'ACCOUNTNUM', 'CF02.NAME', 'NOPE']);
    expect(warnings).toEqual(['column NOPE is not in the replies: written empty']);
  });

  it('writes dates as ISO 8601 unless raw, other values as they are', () => {
    const item = { CREATEDDATE: '03012024 09:05:07', DUEDATE: '03082024 10:00:00', SUBJECT: '01022024' };
    const cols = ['CREATEDDATE', 'DUEDATE', 'SUBJECT'].map((tag) => ({ header: tag, tag }));
    expect(cols.map((c) => cellValue(c, item, false))).toEqual(['2024-03-01T09:05:07', '2024-03-08T10:00:00', '01022024']);
    expect(cols.map((c) => cellValue(c, item, true))).toEqual(['03012024 09:05:07', '03082024 10:00:00', '01022024']);
  });

  it('puts the reports beside the output', () => {
    expect(outputPaths('out/customers.csv')).toEqual({ csv: 'out/customers.csv', errors: 'out/customers.errors.csv', summary: 'out/customers.summary.json' });
    expect(outputPaths('dump')).toEqual({ csv: 'dump', errors: 'dump.errors.csv', summary: 'dump.summary.json' });
  });
});

const MAPPING = `
object: customer
action: upsert
key: legacy_id
match: LEGACY_ID
customFields: [CF02.NAME, LEGACY_ID]
fields:
  FIRSTNAME: { column: first_name, trim: true }
  LASTNAME: last_name
  EMAIL: { column: email, transform: [trim, lower] }
  ADDR1COUNTRY: { column: country, map: { US: United States, USA: United States, DE: Germany } }
  CUSTOMERTYPE: { column: tier, map: { gold: VIP, partner: NT User, standard: Default }, default: Default }
  AUTOPASSWD: { value: "TRUE" }
  COMMENTS: { template: "{notes} / {extra}" }
  CF02.NAME: last_name
  LEGACY_ID: legacy_id
`;

describe('reverse mapping', () => {
  it('writes the legacy column names and inverts one-to-one value maps', () => {
    const reverse = reverseMapping(parseMapping(MAPPING, 'customers.yaml'), CATALOGUE.CUSTOMER);
    expect(reverse.columns.map((c) => [c.column, c.tag])).toEqual([
      ['first_name', 'FIRSTNAME'],
      ['last_name', 'LASTNAME'],
      ['email', 'EMAIL'],
      ['country', 'ADDR1COUNTRY'],
      ['tier', 'CUSTOMERTYPE'],
      ['legacy_id', 'LEGACY_ID'],
    ]);
    const tier = reverse.columns.find((c) => c.column === 'tier');
    expect(tier?.valueMap?.get('VIP')).toBe('gold');
    expect(reverse.columns.find((c) => c.column === 'country')?.valueMap).toBeUndefined();
    expect(reverse.warnings).toEqual([
      'fields.ADDR1COUNTRY: map sends several values to "United States": CRM values written as they are',
      'fields.AUTOPASSWD: a constant: not exported',
      'fields.COMMENTS: a template cannot be inverted: not exported',
      'fields["CF02.NAME"]: column last_name is already written by another field: not exported twice',
    ]);
    const { columns } = chooseColumns(CATALOGUE.CUSTOMER, [], { mapping: reverse.columns, columns: ['legacy_id', 'tier'] });
    expect(columns.map((c) => cellValue(c, { LEGACY_ID: 'L-1', CUSTOMERTYPE: 'VIP' }, false))).toEqual(['L-1', 'gold']);
  });

  it('refuses the mapping of another object', () => {
    expect(() => reverseMapping(parseMapping(MAPPING, 'customers.yaml'), CATALOGUE.CASE)).toThrow(/for customer, the export is of case/);
  });

  it.each([
    ['DD/MM/YYYY', '03012024 09:05:07', '01/03/2024'],
    ['YYYY-MM-DD HH:mm', '03012024 19:05:07', '2024-03-01 19:05'],
    ['M/D/YYYY hh:mm A', '03012024 19:05:07', '3/1/2024 07:05 PM'],
    ['M/D/YYYY h:mm A', '03012024 00:05:07', '3/1/2024 12:05 AM'],
    ['iso', '03012024 19:05:07', '2024-03-01T19:05:07'],
    ['DD/MM/YYYY', '', ''],
  ])('writes dates back in the mapping format %s', (format, value, out) => {
    expect(formatDate(value, compileDateFormat(format) as CompiledDateFormat)).toBe(out);
  });
});
