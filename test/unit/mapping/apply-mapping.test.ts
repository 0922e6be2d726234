import { describe, expect, it } from 'vitest';
import { applyMapping } from '../../../src/mapping/apply-mapping.js';
import { parseMapping } from '../../../src/mapping/load-mapping.js';
import { RowError } from '../../../src/mapping/row-error.js';
import type { Mapping } from '../../../src/mapping/types.js';

/** A task mapping (task fields cover text, dates, enums and phones) with `fields` added. */
/** The custom fields the helpers' mappings may use (a tag is a catalogue field or a declared custom field). */
const CUSTOM = 'customFields: [TASK_DATE, TASK_LEGACY_ID, BIRTHDAY, LEGACY_ID]\n';

function task(fields: string, head = ''): Mapping {
  return parseMapping(`object: task\naction: add\nkey: id\n${CUSTOM}${head}fields:\n  ACCOUNTNUM: { ref: customers, column: cust }\n${fields}`, 'task.yaml');
}

function customer(fields: string, head = 'action: add\n'): Mapping {
  return parseMapping(`object: customer\n${head}key: id\n${CUSTOM}fields:\n  FIRSTNAME: first\n  LASTNAME: last\n  AUTOPASSWD: { value: "TRUE" }\n${fields}`, 'customer.yaml');
}

/** The value a one-field mapping gives `tag` for a row, or undefined when left out. */
function valueOf(mapping: Mapping, tag: string, row: Record<string, string>): string | undefined {
  return applyMapping(mapping, { cust: '1', first: 'A', last: 'B', ...row }).fields.find(([t]) => t === tag)?.[1];
}

describe('applyMapping: one field', () => {
  const cases: Array<[name: string, spec: string, row: Record<string, string>, expected: string | undefined]> = [
    ['a column as is', 'SUBJECT: s', { s: '  Hi  ' }, '  Hi  '],
    ['trim: true', 'SUBJECT: { column: s, trim: true }', { s: '  Hi \t' }, 'Hi'],
    ['trim removes a no-break space', 'SUBJECT: { column: s, trim: true }', { s: '\u00A0Hi\u00A0' }, 'Hi'],
    ['lower', 'EMAIL: { column: e, transform: [trim, lower] }', { e: ' Ann@Example.COM ' }, 'ann@example.com'],
    ['upper', 'SUBJECT: { column: s, transform: [upper] }', { s: 'straße' }, 'STRASSE'],
    ['collapse-spaces', 'SUBJECT: { column: s, transform: [collapse-spaces] }', { s: '  a \t b\n\nc ' }, 'a b c'],
    ['digits-only', 'TRANSID: { column: t, transform: [digits-only] }', { t: 'TX-00-42' }, '0042'],
    ['phone keeps the allowed characters', 'PHONE: { column: p, transform: [phone] }', { p: 'tel: +1 (415) 555–0132' }, '+1 (415) 555-0132'],
    ['phone keeps an extension', 'PHONE: { column: p, transform: [phone] }', { p: '1-955-371-0847 x371' }, '1-955-371-0847 / 371'],
    ['phone keeps ext. too', 'PHONE: { column: p, transform: [phone] }', { p: '+1 312 555 0100 ext. 3' }, '+1 312 555 0100 / 3'],
    ['map, exact', 'TASK_STATUS: { column: s, map: { open: New, Open: Pending } }', { s: 'Open' }, 'Pending'],
    ['map, ignoring case', 'TASK_STATUS: { column: s, map: { open: New } }', { s: 'OPEN' }, 'New'],
    ['map: an unknown value passes through', 'TASK_STATUS: { column: s, map: { open: New } }', { s: 'Closed' }, 'Closed'],
    ['map: otherwise for unknown values', 'TASK_STATUS: { column: s, map: { open: New }, otherwise: Pending }', { s: 'weird' }, 'Pending'],
    ['map: otherwise is not for empty values', 'TASK_STATUS: { column: s, map: { open: New }, otherwise: Pending }', { s: '' }, undefined],
    ['map: an entry for the empty value', 'TASK_STATUS: { column: s, map: { "": Closed, open: New } }', { s: '' }, 'Closed'],
    ['map after transforms', 'TASK_STATUS: { column: s, transform: [trim], map: { open: New } }', { s: ' open ' }, 'New'],
    ['default when empty', 'TASK_STATUS: { column: s, default: New }', { s: '' }, 'New'],
    ['default when empty after trim', 'TASK_STATUS: { column: s, trim: true, default: New }', { s: '   ' }, 'New'],
    ['whitespace alone is empty', 'TASK_STATUS: { column: s, default: New }', { s: ' \t ' }, 'New'],
    ['whitespace alone is left out', 'SUBJECT: s', { s: '  ' }, undefined],
    ['default when the column is missing from the row', 'TASK_STATUS: { column: s, default: New }', {}, 'New'],
    ['a constant', 'TASK_STATUS: { value: New }', { s: 'x' }, 'New'],
    ['a default alone is a constant', 'TASK_STATUS: { default: New }', {}, 'New'],
    ['an empty value is left out', 'SUBJECT: s', { s: '' }, undefined],
    ['template', 'SUBJECT: { template: "{a} {b}" }', { a: 'Zoë', b: 'Müller' }, 'Zoë Müller'],
    ['template with literal braces', 'SUBJECT: { template: "{{{a}}}" }', { a: 'x' }, '{x}'],
    ['template with every column empty is empty', 'SUBJECT: { template: "{a} {b}" }', { a: '', b: ' ' }, undefined],
    ['template with one column empty', 'SUBJECT: { template: "{a} {b}", trim: true }', { a: 'Zoë', b: '' }, 'Zoë'],
    ['CR LF becomes LF', 'DESCRIPTION: d', { d: 'line 1\r\nline 2\rline 3' }, 'line 1\nline 2\nline 3'],
    ['date YYYY-MM-DD', 'TASK_DATE: { column: d, date: YYYY-MM-DD }', { d: '2024-02-29' }, '02292024'],
    ['date DD/MM/YYYY', 'TASK_DATE: { column: d, date: DD/MM/YYYY }', { d: '31/12/2023' }, '12312023'],
    ['date D.M.YYYY', 'TASK_DATE: { column: d, date: D.M.YYYY }', { d: '1.2.2024' }, '02012024'],
    ['date YYYYMMDD', 'TASK_DATE: { column: d, date: YYYYMMDD }', { d: '20240102' }, '01022024'],
    ['date with surrounding spaces', 'TASK_DATE: { column: d, date: YYYY-MM-DD }', { d: ' 2024-01-02 ' }, '01022024'],
    ['datetime MM/DD/YYYY HH:mm', 'DUEDATE: { column: d, date: MM/DD/YYYY HH:mm }', { d: '03/15/2024 14:30' }, '031520241430'],
    ['datetime from a date only is midnight', 'DUEDATE: { column: d, date: YYYY-MM-DD }', { d: '2024-03-15' }, '031520240000'],
    ['datetime 12-hour', 'DUEDATE: { column: d, date: M/D/YYYY h:mm A }', { d: '3/5/2024 2:07 pm' }, '030520241407'],
    ['datetime 12 AM is midnight', 'DUEDATE: { column: d, date: M/D/YYYY h:mm A }', { d: '3/5/2024 12:15 AM' }, '030520240015'],
    ['datetime with seconds', 'DUEDATE: { column: d, date: YYYY-MM-DDTHH:mm:ss }', { d: '2024-03-05T09:08:59' }, '030520240908'],
    ['datetime from a template', 'DUEDATE: { template: "{day} {time}", date: DD/MM/YYYY HH:mm }', { day: '05/03/2024', time: '09:30' }, '030520240930'],
    ['iso date', 'TASK_DATE: { column: d, date: iso }', { d: '2024-03-05' }, '03052024'],
    ['iso without offset is wall-clock', 'DUEDATE: { column: d, date: iso }', { d: '2024-03-05T23:30:00' }, '030520242330'],
    ['iso Z in UTC', 'DUEDATE: { column: d, date: iso }', { d: '2024-08-13T18:04:34.666Z' }, '081320241804'],
    ['iso +00:00 in UTC', 'DUEDATE: { column: d, date: iso }', { d: '2024-08-13T18:04:34.666+00:00' }, '081320241804'],
    ['iso with an offset, converted to UTC', 'DUEDATE: { column: d, date: iso }', { d: '2024-03-05T01:30:00+02:00' }, '030420242330'],
    ['iso with offset +0530', 'DUEDATE: { column: d, date: iso }', { d: '2024-03-05T05:30+0530' }, '030520240000'],
    ['a date field takes the date of a converted instant', 'TASK_DATE: { column: d, date: iso }', { d: '2024-03-05T01:30:00+02:00' }, '03042024'],
  ];

  it.each(cases)('%s', (_name, spec, row, expected) => {
    expect(valueOf(task(`  ${spec}\n`), spec.split(':')[0] as string, row)).toBe(expected);
  });

  it('converts instants to the mapping time zone, daylight saving included', () => {
    const m = task('  DUEDATE: { column: d, date: iso }\n', 'timezone: America/New_York\n');
    expect(valueOf(m, 'DUEDATE', { d: '2024-01-15T15:00:00Z' })).toBe('011520241000'); // EST, UTC-5
    expect(valueOf(m, 'DUEDATE', { d: '2024-07-15T15:00:00Z' })).toBe('071520241100'); // EDT, UTC-4
    expect(valueOf(m, 'DUEDATE', { d: '2024-01-01T02:00:00Z' })).toBe('123120232100'); // the day before
    // Wall-clock values are not converted: they are already local.
    expect(valueOf(m, 'DUEDATE', { d: '2024-01-15T15:00:00' })).toBe('011520241500');
  });

  it('converts to a custom date field as MMDDYYYY', () => {
    const m = customer('  BIRTHDAY: { column: b, date: DD.MM.YYYY }\n');
    expect(valueOf(m, 'BIRTHDAY', { b: '07.08.1990' })).toBe('08071990');
  });

  it('parses a default written like the column', () => {
    const m = task('  TASK_DATE: { column: d, date: DD/MM/YYYY, default: 01/01/2000 }\n');
    expect(valueOf(m, 'TASK_DATE', { d: '' })).toBe('01012000');
  });
});

describe('applyMapping: rows that cannot be mapped', () => {
  const cases: Array<[name: string, spec: string, row: Record<string, string>, message: string]> = [
    ['not a calendar date', 'DUEDATE: { column: due_at, date: DD/MM/YYYY }', { due_at: '31/02/2024' }, 'DUEDATE: "31/02/2024" is not a date in DD/MM/YYYY (column due_at)'],
    ['another shape', 'DUEDATE: { column: due_at, date: DD/MM/YYYY }', { due_at: '2024-02-01' }, 'DUEDATE: "2024-02-01" is not a date in DD/MM/YYYY (column due_at)'],
    ['MM needs two digits', 'TASK_DATE: { column: d, date: MM/DD/YYYY }', { d: '3/5/2024' }, 'TASK_DATE: "3/5/2024" is not a date in MM/DD/YYYY (column d)'],
    ['hour out of range', 'DUEDATE: { column: d, date: YYYY-MM-DD HH:mm }', { d: '2024-01-01 24:00' }, 'DUEDATE: "2024-01-01 24:00" is not a date in YYYY-MM-DD HH:mm (column d)'],
    ['13 PM', 'DUEDATE: { column: d, date: M/D/YYYY h:mm A }', { d: '1/1/2024 13:00 PM' }, 'DUEDATE: "1/1/2024 13:00 PM" is not a date in M/D/YYYY h:mm A (column d)'],
    ['not ISO', 'DUEDATE: { column: d, date: iso }', { d: '05/03/2024' }, 'DUEDATE: "05/03/2024" is not an ISO 8601 date (YYYY-MM-DD, optionally with a time and offset) (column d)'],
    ['a bad template date', 'DUEDATE: { template: "{day} {time}", date: DD/MM/YYYY HH:mm }', { day: '05/03/2024', time: '' }, 'DUEDATE: "05/03/2024 " is not a date in DD/MM/YYYY HH:mm (columns day, time)'],
  ];

  it.each(cases)('%s', (_name, spec, row, message) => {
    const m = task(`  ${spec}\n`);
    let error: unknown;
    try {
      applyMapping(m, { cust: '1', ...row });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RowError);
    expect(error).toMatchObject({ code: 'ROW_INVALID', stage: 'map', message, field: spec.split(':')[0] });
  });

  it('needs the match value for upsert', () => {
    const m = customer('  LEGACY_ID: legacy\n', 'action: upsert\nmatch: LEGACY_ID\n');
    expect(() => applyMapping(m, { first: 'A', last: 'B', legacy: ' ' })).toThrow(/^LEGACY_ID: empty, and upsert finds the record by it \(column legacy\)$/);
    expect(applyMapping(m, { first: 'A', last: 'B', legacy: '7' }).fields).toContainEqual(['LEGACY_ID', '7']);
  });

  it('needs the id for modify by id', () => {
    const m = customer('', 'action: modify\nid: acct\n');
    expect(() => applyMapping(m, { first: 'A', acct: '' })).toThrow(RowError);
    expect(applyMapping(m, { first: 'A', acct: ' 10000001 ' }).id).toBe('10000001');
  });
});

describe('applyMapping: a row', () => {
  it('keeps mapping order, leaves empties out and sets references apart', () => {
    const m = task('  SUBJECT: s\n  DESCRIPTION: d\n  ASSIGNEDTO: { column: owner, transform: [lower] }\n  TASK_LEGACY_ID: id\n');
    expect(applyMapping(m, { cust: '1001', s: 'Call', d: '', owner: 'JSmith', id: 'A-1' })).toEqual({
      fields: [
        ['SUBJECT', 'Call'],
        ['ASSIGNEDTO', 'jsmith'],
        ['TASK_LEGACY_ID', 'A-1'],
      ],
      refs: [{ tag: 'ACCOUNTNUM', ref: { kind: 'mapping', mapping: 'customers' }, value: '1001' }],
      warnings: [],
    });
  });

  it('leaves out a reference whose column is empty', () => {
    expect(applyMapping(task('  SUBJECT: s\n'), { cust: '', s: 'x' }).refs).toEqual([]);
  });

  it('gives a look-up reference its value', () => {
    const m = parseMapping(
      'object: case\naction: add\nkey: t\nfields:\n  ACCOUNTNUM: { ref: { object: customer, by: EMAIL }, column: mail, transform: [trim, lower] }\n  SUBJECT: s\n  DESCRIPTION: d\n',
      'c.yaml',
    );
    expect(applyMapping(m, { mail: ' Ann@X.com ', s: 'a', d: 'b' }).refs).toEqual([
      { tag: 'ACCOUNTNUM', ref: { kind: 'lookup', object: 'CUSTOMER', by: 'EMAIL' }, value: 'ann@x.com' },
    ]);
  });

  it('truncates to the field maximum with a warning, after map and default', () => {
    const m = customer('  COMPANY: { column: c, transform: [truncate], default: "' + 'x'.repeat(60) + '" }\n');
    const long = 'Ä'.repeat(49) + '😀😀';
    const a = applyMapping(m, { first: 'A', last: 'B', c: long });
    expect(a.fields).toContainEqual(['COMPANY', 'Ä'.repeat(49) + '😀']);
    expect(a.warnings).toEqual(['COMPANY: cut from 51 to 50 characters (column c)']);
    const b = applyMapping(m, { first: 'A', last: 'B', c: '' });
    expect(b.fields).toContainEqual(['COMPANY', 'x'.repeat(50)]);
  });

  it('does not warn when nothing is cut', () => {
    const m = customer('  COMPANY: { column: c, transform: [truncate] }\n');
    expect(applyMapping(m, { first: 'A', last: 'B', c: 'short' }).warnings).toEqual([]);
  });
});
