import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/protocol/catalogue.js';
import { cellValue, chooseColumns, defaultTags, unknownColumns } from '../../../src/export/columns.js';
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
    expect(cols.map((c) => cellValue(c, item, { rawDates: false }))).toEqual(['2024-03-01T09:05:07', '2024-03-08T10:00:00', '01022024']);
    expect(cols.map((c) => cellValue(c, item, { rawDates: true }))).toEqual(['03012024 09:05:07', '03082024 10:00:00', '01022024']);
  });

  it('ISO timestamps carry the offset of the server\'s time zone, daylight saving included; dates carry none', () => {
    const item = { CREATEDDATE: '01152024 09:05:07', LASTMODDATE: '07152024 09:05:07', BIRTHDATE: '07152024' };
    const cols = ['CREATEDDATE', 'LASTMODDATE', 'BIRTHDATE'].map((tag) => ({ header: tag, tag }));
    expect(cols.map((c) => cellValue(c, item, { rawDates: false, timeZone: 'UTC' }))).toEqual(['2024-01-15T09:05:07Z', '2024-07-15T09:05:07Z', '2024-07-15']);
    expect(cols.map((c) => cellValue(c, item, { rawDates: false, timeZone: 'Europe/Berlin' }))).toEqual(['2024-01-15T09:05:07+01:00', '2024-07-15T09:05:07+02:00', '2024-07-15']);
    expect(cellValue({ header: 'CREATEDDATE', tag: 'CREATEDDATE' }, item, { rawDates: false, timeZone: 'America/St_Johns' })).toBe('2024-01-15T09:05:07-03:30');
  });

  it('leaves the customer portal PASSWORD out unless asked for by --include-password or --columns', () => {
    // Found in review: every backup carried every customer's portal password.
    const keys = ['ACCOUNTNUM', 'PASSWORD', 'FIRSTNAME'];
    expect(chooseColumns(CATALOGUE.CUSTOMER, keys, {}).columns.map((c) => c.tag)).not.toContain('PASSWORD');
    expect(chooseColumns(CATALOGUE.CUSTOMER, keys, { includePassword: true }).columns.map((c) => c.tag)).toContain('PASSWORD');
    expect(chooseColumns(CATALOGUE.CUSTOMER, keys, { columns: ['ACCOUNTNUM', 'password'] }).columns.map((c) => c.tag)).toEqual(['ACCOUNTNUM', 'PASSWORD']);
  });

  it('a mapped password named in --columns is written without a false "not in the replies" warning', () => {
    // Found in review: the password was filtered out of the reply tags the mapping is checked
    // against, so naming its column wrote it and also warned that it was written empty.
    const mapping = [
      { column: 'id', tag: 'ACCOUNTNUM' },
      { column: 'secret', tag: 'PASSWORD' },
    ];
    const keys = ['ACCOUNTNUM', 'PASSWORD'];
    const named = chooseColumns(CATALOGUE.CUSTOMER, keys, { mapping, columns: ['id', 'secret'] });
    expect(named.columns.map((c) => c.tag)).toEqual(['ACCOUNTNUM', 'PASSWORD']);
    expect(named.warnings).toEqual([]);
    const unnamed = chooseColumns(CATALOGUE.CUSTOMER, keys, { mapping });
    expect(unnamed.columns.map((c) => c.tag)).toEqual(['ACCOUNTNUM']);
    expect(unnamed.warnings).toEqual(['the mapping maps PASSWORD: not written (add --include-password to write it)']);
  });

  it('neutralises cells a spreadsheet would run as formulas, unless told not to', () => {
    const item = { COMMENTS: '=HYPERLINK("http://x")', VOICE: '+1 415 555 0100', COMPANY: "'=kept" };
    const cols = ['COMMENTS', 'VOICE', 'COMPANY'].map((tag) => ({ header: tag, tag }));
    expect(cols.map((c) => cellValue(c, item, { rawDates: false, escapeFormulas: true }))).toEqual(["'=HYPERLINK(\"http://x\")", "'+1 415 555 0100", "''=kept"]);
    expect(cols.map((c) => cellValue(c, item, { rawDates: false }))).toEqual(['=HYPERLINK("http://x")', '+1 415 555 0100', "'=kept"]);
  });

  it('knows which --columns names no record can have, custom fields and mapping columns included', () => {
    expect(unknownColumns(CATALOGUE.CUSTOMER, ['lastname', 'CF02.NAME', 'NOPE'], new Set(['CF02.NAME']))).toEqual(['NOPE']);
    expect(unknownColumns(CATALOGUE.CUSTOMER, ['legacy_id', 'LASTNAME'], undefined, [{ column: 'legacy_id', tag: 'LEGACY_ID' }])).toEqual(['LASTNAME']);
  });

  it('puts the reports beside the output', () => {
    expect(outputPaths('out/customers.csv')).toEqual({ csv: 'out/customers.csv', errors: 'out/customers.errors.csv', summary: 'out/customers.summary.json', report: 'out/customers.report.html' });
    expect(outputPaths('dump')).toEqual({ csv: 'dump', errors: 'dump.errors.csv', summary: 'dump.summary.json', report: 'dump.report.html' });
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
    expect(columns.map((c) => cellValue(c, { LEGACY_ID: 'L-1', CUSTOMERTYPE: 'VIP' }, { rawDates: false }))).toEqual(['L-1', 'gold']);
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
