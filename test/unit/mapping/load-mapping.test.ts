import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMapping, parseMapping } from '../../../src/mapping/load-mapping.js';
import { MappingError } from '../../../src/mapping/mapping-problem.js';

/** A valid customer mapping to start from; `extra` lines are appended under `fields:`. */
function customer(head: string, extraFields = ''): string {
  return `${head}\nfields:\n  FIRSTNAME: first\n  LASTNAME: last\n  AUTOPASSWD: { value: "TRUE" }\n${extraFields}`;
}

function problemsOf(text: string, file = 'm.yaml'): string[] {
  try {
    parseMapping(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(MappingError);
    expect((error as MappingError).code).toBe('MAPPING_INVALID');
    return (error as MappingError).message.split('\n').slice(1);
  }
  throw new Error('expected the mapping to be rejected');
}

const ADD = 'object: customer\naction: add\nkey: id';

describe('parseMapping: every problem is reported with its path and a fix', () => {
  const cases: Array<[name: string, text: string, expected: RegExp]> = [
    ['YAML syntax', 'object: customer\nfields: [a, b\n', /^m\.yaml:\d+: not valid YAML/],
    ['not a map', '- a\n- b\n', /^m\.yaml(:1)?: \(top level\): a mapping file is a YAML map/],
    ['missing key', 'object: customer\naction: add\nfields: { FIRSTNAME: a }', /^m\.yaml:1: key: is missing \(add key: /],
    ['unknown top-level key', customer(`${ADD}\nmatchs: EMAIL`), /^m\.yaml:4: matchs: unknown key "matchs" \(did you mean match\?\)/],
    ['unknown field key', customer(ADD, '  EMAIL: { colum: email }\n'), /^m\.yaml:8: fields\.EMAIL\.colum: unknown key "colum" \(did you mean column\?\)/],
    ['unknown object', customer('object: contact\naction: add\nkey: id'), /^m\.yaml:1: object: "contact" is not an object wapi-bulk imports \(use one of: customer, case, task, followup\)/],
    ['unknown action', customer('object: customer\naction: insert\nkey: id'), /^m\.yaml:2: action: "insert" is not an action \(use one of: add, modify, upsert, delete\)/],
    ['unknown transform', customer(ADD, '  EMAIL: { column: email, transform: [trim, lowercase] }\n'), /fields\.EMAIL\.transform\[1\]: unknown transform "lowercase" \(use one of: trim, lower/],
    ['unknown encoding', customer(`${ADD}\ncsv: { encoding: ebcdic-9 }`), /csv\.encoding: unknown encoding "ebcdic-9" \(use one of: auto, utf-8, utf-16le, utf-16be, latin1, windows-1252, or another code page/],
    // Found in review: an EMIAL typo passed validate and the dry run; every row of the real run failed.
    ['a tag neither in the catalogue nor declared (EMIAL)', customer(ADD, '  EMIAL: e\n'), /^m\.yaml:8: fields\.EMIAL: EMIAL is neither a customer field nor a custom field declared under customFields \(did you mean EMAIL\?/],
    ['a longer spelling of a field (COMPANYNAME)', customer(ADD, '  COMPANYNAME: c\n'), /fields\.COMPANYNAME: .*did you mean COMPANY\?/],
    ['a mapping name that climbs out of the report folder', customer(`${ADD}\nname: ..`), /name: a name is letters/],
    ['a typo of customFields', customer(`${ADD}\ncustomfield: [X]`), /customfield: unknown key "customfield" \(did you mean customFields\?\)/],
    ['field spec of the wrong type', customer(ADD, '  EMAIL: [email]\n'), /fields\.EMAIL: must be a column name or a map of column, value/],
    ['empty column name', customer(ADD, '  EMAIL:\n'), /fields\.EMAIL: must not be empty/],
    ['trim not a boolean', customer(ADD, '  EMAIL: { column: email, trim: maybe }\n'), /fields\.EMAIL\.trim: must be true or false/],
    ['follow-up modify', 'object: followup\naction: modify\nkey: id\nid: n\nfields:\n  SUBJECT: s\n', /action: follow-ups can only be added: the guide has no Modify Follow-up.*\(use action: add\)/],
    ['tag not valid for the action', customer(ADD, '  FROMCREATEDATE: since\n'), /fields\.FROMCREATEDATE: FROMCREATEDATE is not a field Add Customer takes \(remove it; Add Customer takes FIRSTNAME/],
    ['read-only field', customer(ADD, '  CREATEDDATE: created\n'), /fields\.CREATEDDATE: CREATEDDATE is read-only: the server sets it \(remove it\)/],
    ['missing mandatory field', `${ADD}\nfields:\n  FIRSTNAME: a\n  LASTNAME: b\n`, /fields: Add Customer needs AUTOPASSWD, which is not mapped \(add AUTOPASSWD: \{ value: "TRUE" \}/],
    ['case without its customer', 'object: case\naction: add\nkey: t\nfields:\n  SUBJECT: s\n  DESCRIPTION: d\n', /fields: Add Case needs ACCOUNTNUM, which is not mapped \(add ACCOUNTNUM: \{ ref: customers/],
    ['modify without match or id', customer('object: customer\naction: modify\nkey: id'), /action: modify needs to know which record to change \(add match: .*or id: <column holding the ACCOUNTNUM>\)/],
    ['modify with both match and id', customer('object: customer\naction: modify\nkey: id\nmatch: FIRSTNAME\nid: acct'), /id: modify takes match or id, not both/],
    ['upsert without match', customer('object: customer\naction: upsert\nkey: id'), /action: upsert needs match/],
    ['upsert with id', customer('object: customer\naction: upsert\nkey: id\nmatch: FIRSTNAME\nid: acct'), /id: upsert finds records by match and does not take id/],
    ['match not a GET field', customer('object: customer\naction: upsert\nkey: id\nmatch: COMMENTS', '  COMMENTS: c\n'), /match: COMMENTS is not a field Get Customer can find a record by \(use one of: FIRSTNAME, LASTNAME, EMAIL/],
    ['match not mapped', customer('object: customer\naction: upsert\nkey: id\nmatch: EMAIL'), /match: EMAIL is not in fields.*\(add fields\.EMAIL: <column>\)/],
    ['match on the id', customer('object: customer\naction: modify\nkey: id\nmatch: ACCOUNTNUM'), /match: ACCOUNTNUM is the record's id \(use id: /],
    ['id tag in fields for modify', customer('object: customer\naction: modify\nkey: id\nid: acct', '  ACCOUNTNUM: acct\n'), /fields\.ACCOUNTNUM: ACCOUNTNUM is the record's id, which modify does not take from fields \(remove it and write id:/],
    ['value and column', customer(ADD, '  EMAIL: { column: email, value: a@b.c }\n'), /fields\.EMAIL: gives both column and value \(keep one/],
    ['no source', customer(ADD, '  EMAIL: { trim: true }\n'), /fields\.EMAIL: has no source \(add column:/],
    ['otherwise without map', customer(ADD, '  CUSTOMERTYPE: { column: t, otherwise: VIP }\n'), /fields\.CUSTOMERTYPE\.otherwise: otherwise without map/],
    ['empty map', customer(ADD, '  CUSTOMERTYPE: { column: t, map: {} }\n'), /fields\.CUSTOMERTYPE\.map: the map is empty/],
    ['map value the field refuses', customer(ADD, '  PASSWORD: { column: p, map: { x: "no way!" } }\n').replace('"TRUE"', '"FALSE"'), /fields\.PASSWORD\.map\.x: "no way!" may only contain A-Z a-z 0-9 _/],
    ['constant the field refuses', customer(ADD).replace('{ value: "TRUE" }', '{ value: "YES" }'), /fields\.AUTOPASSWD\.value: "YES" must be TRUE or FALSE/],
    ['bad date format', 'object: task\naction: add\nkey: id\nfields:\n  ACCOUNTNUM: { ref: customers, column: c }\n  DUEDATE: { column: due, date: dd.mm.yyyy }\n', /fields\.DUEDATE\.date: "dd\.mm\.yyyy" is not a date format: "dd" is not a date token \(use YYYY, MM/],
    ['incomplete date format', 'object: task\naction: add\nkey: id\nfields:\n  ACCOUNTNUM: { ref: customers, column: c }\n  DUEDATE: { column: due, date: MM/YYYY }\n', /fields\.DUEDATE\.date: "MM\/YYYY" is not a date format: a date format needs YYYY, MM \(or M\) and DD/],
    ['date on a field that is no date', customer(ADD, '  EMAIL: { column: e, date: YYYY-MM-DD }\n'), /fields\.EMAIL\.date: EMAIL is not a date field \(remove date\)/],
    ['template without a column', customer(ADD, '  COMMENTS: { template: "no columns here" }\n'), /fields\.COMMENTS\.template: names no column/],
    ['broken template', customer(ADD, '  COMMENTS: { template: "{first" }\n'), /fields\.COMMENTS\.template: the "\{" at position 1 is never closed/],
    ['truncate without a known length', customer(ADD, '  NOTES_X: { column: n, transform: [truncate] }\n'), /fields\.NOTES_X\.transform: truncate needs a maximum length, and the length of custom field NOTES_X is not known here/],
    ['ref without column', 'object: case\naction: add\nkey: t\nfields:\n  ACCOUNTNUM: { ref: customers }\n  SUBJECT: s\n  DESCRIPTION: d\n', /fields\.ACCOUNTNUM\.ref: a ref needs column/],
    ['ref look-up by a field GET does not take', 'object: case\naction: add\nkey: t\nfields:\n  ACCOUNTNUM: { ref: { object: customer, by: COMMENTS }, column: c }\n  SUBJECT: s\n  DESCRIPTION: d\n', /fields\.ACCOUNTNUM\.ref\.by: COMMENTS is not a field Get Customer accepts/],
    ['ref look-up of follow-ups', 'object: case\naction: add\nkey: t\nfields:\n  ACCOUNTNUM: { ref: { object: followup, by: CASENUM }, column: c }\n  SUBJECT: s\n  DESCRIPTION: d\n', /fields\.ACCOUNTNUM\.ref\.object: cannot look up "followup" records/],
    ['same field twice', 'object: task\naction: add\nkey: id\nfields:\n  ACCOUNTNUM: { ref: customers, column: c }\n  MEDIA_TYPE: a\n  MEDIATYPE: b\n', /fields\.MEDIATYPE: MEDIATYPE and MEDIA_TYPE are the same field/],
    ['invalid tag name', customer(ADD, '  "MY FIELD": x\n'), /fields\["MY FIELD"\]: "MY FIELD" is not a valid tag name/],
    ['unknown time zone', customer(`${ADD}\ntimezone: Mars/Olympus`), /timezone: "Mars\/Olympus" is not an IANA time zone/],
    ['AUTOPASSWD FALSE without PASSWORD', customer(ADD).replace('"TRUE"', '"FALSE"'), /fields\.AUTOPASSWD: AUTOPASSWD is FALSE but PASSWORD is not mapped/],
    ['AUTOPASSWD TRUE with PASSWORD', customer(ADD, '  PASSWORD: pw\n'), /fields\.PASSWORD: AUTOPASSWD is TRUE, and the guide rejects PASSWORD with it/],
    ['bad name', customer(`name: my customers\n${ADD}`), /name: a name is letters, digits/],
  ];

  it.each(cases)('%s', (_name, text, expected) => {
    const lines = problemsOf(text);
    expect(lines.some((l) => expected.test(l)), `no line matches ${expected}:\n${lines.join('\n')}`).toBe(true);
  });

  it('reports every problem at once, one line each', () => {
    const lines = problemsOf(
      'object: customer\naction: upsert\nkey: id\ntimezone: Nowhere/Town\nfields:\n  FIRSTNAME: a\n  EMAIL: { column: e, value: a@b.c }\n  CREATEDDATE: c\n',
    );
    expect(lines).toHaveLength(6);
    expect(lines.join('\n')).toMatch(/upsert needs match/);
    expect(lines.join('\n')).toMatch(/Nowhere\/Town/);
    expect(lines.join('\n')).toMatch(/fields\.EMAIL: gives both/);
    expect(lines.join('\n')).toMatch(/fields\.CREATEDDATE: CREATEDDATE is read-only/);
    expect(lines.join('\n')).toMatch(/needs LASTNAME/);
    expect(lines.join('\n')).toMatch(/needs AUTOPASSWD/);
  });

  it('checks the rules on the rest of a mapping the schema refused in part', () => {
    const lines = problemsOf(
      'object: customer\naction: add\nkey: id\ncsv: { encoding: ebcdic }\nfield: x\nfields:\n  FIRSTNAME: { column: f, transform: [shout] }\n  EMAIL: { colum: e }\n  CREATEDDATE: c\n',
    );
    expect(lines).toEqual([
      expect.stringMatching(/^m\.yaml:4: csv\.encoding: unknown encoding "ebcdic"/),
      expect.stringMatching(/^m\.yaml:5: field: unknown key "field" \(did you mean fields\?\)$/),
      expect.stringMatching(/^m\.yaml:6: fields: Add Customer needs LASTNAME/),
      expect.stringMatching(/^m\.yaml:6: fields: Add Customer needs AUTOPASSWD/),
      expect.stringMatching(/^m\.yaml:7: fields\.FIRSTNAME\.transform\[0\]: unknown transform "shout"/),
      expect.stringMatching(/^m\.yaml:8: fields\.EMAIL\.colum: unknown key "colum"/),
      expect.stringMatching(/^m\.yaml:9: fields\.CREATEDDATE: CREATEDDATE is read-only/),
    ]);
  });

  it('does not guess at rules when object or action is unusable', () => {
    expect(problemsOf('object: contact\naction: add\nkey: id\nfields:\n  CREATEDDATE: c\n')).toHaveLength(1);
  });

  it('points at the line of the key in question', () => {
    const lines = problemsOf(customer(ADD, '  EMAIL:\n    column: email\n    transform: [trim, shout]\n'));
    expect(lines).toEqual([expect.stringMatching(/^m\.yaml:10: fields\.EMAIL\.transform\[1\]: unknown transform "shout"/)]);
  });

  it('carries the problems for programs', () => {
    try {
      parseMapping(customer(ADD, '  CREATEDDATE: c\n'), 'x.yaml');
    } catch (error) {
      expect((error as MappingError).problems).toEqual([expect.objectContaining({ path: ['fields', 'CREATEDDATE'], fix: 'remove it' })]);
      expect((error as MappingError).hint).toMatch(/mapping\.schema\.json/);
    }
  });
});

describe('parseMapping: a valid mapping', () => {
  it('fills the defaults', () => {
    const m = parseMapping(customer(ADD), 'dir/legacy-people.yaml');
    expect(m).toMatchObject({
      file: 'dir/legacy-people.yaml',
      name: 'legacy-people',
      object: 'customer',
      objectName: 'CUSTOMER',
      action: 'add',
      key: 'id',
      csv: { delimiter: ',', encoding: 'auto', bom: true, quote: '"', relaxQuotes: false },
      timezone: 'UTC',
      customFields: [],
      warnings: [],
    });
    expect(m.fields.map((f) => [f.tag, f.column ?? f.value])).toEqual([
      ['FIRSTNAME', 'first'],
      ['LASTNAME', 'last'],
      ['AUTOPASSWD', 'TRUE'],
    ]);
  });

  it('keeps constants as written: TRUE, 007 and map keys like 01 stay text', () => {
    const m = parseMapping(
      customer(ADD, '  ADDR1ZIP: { value: 007 }\n  CUSTOMERTYPE: { column: t, map: { 01: VIP, yes: Default } }\n').replace('{ value: "TRUE" }', '{ value: TRUE }'),
      'm.yaml',
    );
    const byTag = new Map(m.fields.map((f) => [f.tag, f]));
    expect(byTag.get('AUTOPASSWD')?.value).toBe('TRUE');
    expect(byTag.get('ADDR1ZIP')?.value).toBe('007');
    expect(byTag.get('CUSTOMERTYPE')?.map).toEqual({ '01': 'VIP', yes: 'Default' });
  });

  it('reads object and action in any case, and booleans as true/false', () => {
    const m = parseMapping(customer('object: Customer\naction: ADD\nkey: id\ncsv: { bom: FALSE, delimiter: ";" }', '  EMAIL: { column: e, trim: True }\n'), 'm.yaml');
    expect(m.object).toBe('customer');
    expect(m.action).toBe('add');
    expect(m.csv).toMatchObject({ bom: false, delimiter: ';' });
    expect(m.fields.find((f) => f.tag === 'EMAIL')?.trim).toBe(true);
  });

  it('refuses tags that are neither catalogue fields nor declared custom fields, each at its line', () => {
    const lines = problemsOf(customer(ADD, '  FIRST_NAME_2: x\n  LEGACY_ID: id\n'));
    expect(lines).toEqual([
      'm.yaml:8: fields.FIRST_NAME_2: FIRST_NAME_2 is neither a customer field nor a custom field declared under customFields (did you mean FIRSTNAME? If FIRST_NAME_2 is a custom field of the tenant, list it under customFields:)',
      'm.yaml:9: fields.LEGACY_ID: LEGACY_ID is neither a customer field nor a custom field declared under customFields (fix the tag, or list it under customFields: if it is a custom field of the tenant)',
    ]);
  });

  // Regression: every import of the shipped customers mapping printed three "taken as a custom
  // field" warnings for fields the mapping's author meant as custom fields.
  it('does not warn about custom fields the mapping declares, and checks the declaration', () => {
    const m = parseMapping(customer(`${ADD}\ncustomFields: [legacy_id]`, '  LEGACY_ID: id\n'), 'm.yaml');
    expect(m.customFields).toEqual(['LEGACY_ID']);
    expect(m.warnings).toEqual([]);
    expect(() => parseMapping(customer(`${ADD}\ncustomFields: [EMAIL]`, '  EMAIL: e\n'), 'm.yaml')).toThrow(
      /customFields\[0\]: EMAIL is a standard customer field, not a custom one/,
    );
  });

  it.each([
    ['E_MAIL', 'EMAIL'],
    ['EMIAL', 'EMAIL'],
    ['COMPANYNAME', 'COMPANY'],
    ['ADDR1_CITY', 'ADDR1CITY'],
    ['LASTNAM', 'LASTNAME'],
  ])('suggests the standard field %s probably meant (%s)', (typed, meant) => {
    expect(problemsOf(customer(ADD, `  ${typed}: x\n`)).join('\n')).toContain(`did you mean ${meant}?`);
  });

  it('canonicalises tags and the match field', () => {
    const m = parseMapping('object: task\naction: upsert\nkey: id\nmatch: task_legacy_id\ncustomFields: [TASK_LEGACY_ID]\nfields:\n  accountnum: { ref: customers, column: c }\n  mediatype: m\n  TASK_LEGACY_ID: id\n', 'm.yaml');
    expect(m.fields.map((f) => f.tag)).toEqual(['ACCOUNTNUM', 'MEDIA_TYPE', 'TASK_LEGACY_ID']);
    expect(m.match).toBe('TASK_LEGACY_ID');
  });

  it('warns when an upsert maps a field only Add takes, and marks it add-only', () => {
    const m = parseMapping('object: case\naction: upsert\nkey: t\nmatch: CASE_LEGACY_ID\ncustomFields: [CASE_LEGACY_ID]\nfields:\n  ACCOUNTNUM: { ref: customers, column: c }\n  SUBJECT: s\n  DESCRIPTION: d\n  CASE_LEGACY_ID: t\n', 'm.yaml');
    expect(m.warnings.some((w) => /fields\.ACCOUNTNUM: ACCOUNTNUM is sent only when a row is added: Modify Case does not take it/.test(w))).toBe(true);
    expect(m.fields.find((f) => f.tag === 'ACCOUNTNUM')).toMatchObject({ onAdd: true, onModify: false });
  });

  it('warns when a date field has no date format', () => {
    const m = parseMapping('object: task\naction: add\nkey: id\nfields:\n  ACCOUNTNUM: { ref: customers, column: c }\n  DUEDATE: due\n', 'm.yaml');
    expect(m.warnings).toEqual([
      'm.yaml:6: fields.DUEDATE: DUEDATE takes MMDDYYYYHH24MI, and values are sent as they are (add date: <format of the column> to convert, e.g. date: YYYY-MM-DD)',
    ]);
  });

  // Regression: match was dropped from add mappings, so an Add whose reply was lost could not be
  // checked by GET before being sent again (issue 4's case example is an add with a match).
  it('keeps the match of an add, checked like an upsert\'s', () => {
    const m = parseMapping('object: case\naction: add\nkey: t\nmatch: CASE_LEGACY_ID\ncustomFields: [CASE_LEGACY_ID]\nfields:\n  ACCOUNTNUM: { ref: customers, column: c }\n  SUBJECT: s\n  DESCRIPTION: d\n  CASE_LEGACY_ID: t\n', 'm.yaml');
    expect(m.match).toBe('CASE_LEGACY_ID');
    expect(m.warnings.filter((w) => w.includes('match'))).toEqual([]);
    expect(() => parseMapping('object: case\naction: add\nkey: t\nmatch: CASE_LEGACY_ID\nfields:\n  ACCOUNTNUM: { ref: customers, column: c }\n  SUBJECT: s\n  DESCRIPTION: d\n', 'm.yaml')).toThrow(
      /match: CASE_LEGACY_ID is not in fields/,
    );
  });

  it('reads a ref look-up', () => {
    const m = parseMapping('object: case\naction: add\nkey: t\nfields:\n  ACCOUNTNUM: { ref: { object: customer, by: email }, column: mail }\n  SUBJECT: s\n  DESCRIPTION: d\n', 'm.yaml');
    expect(m.fields[0]?.ref).toEqual({ kind: 'lookup', object: 'CUSTOMER', by: 'EMAIL' });
  });
});

describe('loadMapping', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wapi-mapping-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file, skipping a byte-order mark', async () => {
    const file = join(dir, 'people.yaml');
    await writeFile(file, `\uFEFF${customer(ADD)}`);
    const m = await loadMapping(file);
    expect(m.name).toBe('people');
    expect(m.file).toBe(file);
  });

  it('says so when the file is missing', async () => {
    const file = join(dir, 'nope.yaml');
    await expect(loadMapping(file)).rejects.toMatchObject({ code: 'MAPPING_INVALID', message: expect.stringContaining(`${file}: cannot read the mapping: no such file (check the --mapping path)`) });
  });
});
