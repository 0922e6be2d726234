import { describe, expect, it } from 'vitest';
import { parseMapping } from '../../../src/mapping/load-mapping.js';
import { MappingError } from '../../../src/mapping/mapping-problem.js';
import type { TenantLists } from '../../../src/mapping/tenant-lists.js';
import type { CompareMode, Mapping } from '../../../src/mapping/types.js';
import { agrees, compareModeOf, crmText } from '../../../src/reconcile/compare-rules.js';

describe('agrees: a source value against the CRM value, by mode', () => {
  const cases: Array<[mode: CompareMode, source: string, crm: string | undefined, expected: boolean]> = [
    ['exact', 'Acme', 'Acme', true],
    ['exact', 'Acme', 'acme', false],
    ['exact', 'Acme', 'Acme ', false],
    // LF line ends, as the API stores them: a CRLF file never shows as a change.
    ['exact', 'line one\r\nline two', 'line one\nline two', true],
    ['exact', 'line one\rline two', 'line one\nline two', true],
    // The guide's apostrophe, should a server hand it back as text.
    ['exact', "O'Brien", "O&rsquot;Brien", true],
    // The live reply's self-closing empty tag, and a tag the reply lacks, read as empty.
    ['exact', 'Acme', '', false],
    ['exact', 'Acme', undefined, false],
    ['case-insensitive', 'vip', 'VIP', true],
    ['case-insensitive', 'Müller', 'MÜLLER', true],
    ['case-insensitive', 'vip', 'VIP ', false],
    ['trimmed', 'First1', 'First1 ', true],
    ['trimmed', 'First1', ' First1\n', true],
    ['trimmed', 'First1', 'First 1', false],
    // A sent MMDDYYYY[HH24MI] against the reply's MMDDYYYY HH:MM:SS.
    ['date', '03012024', '03012024 00:00:00', true],
    ['date', '03012024', '03012024', true],
    ['date', '030120240930', '03012024 09:30:00', true],
    ['date', '030120240930', '03012024 09:30:59', true],
    ['date', '030120240930', '0301202409:30:00', true],
    ['date', '03012024', '03012024 09:30:00', false],
    ['date', '030120240930', '03012024 10:00:00', false],
    ['date', '03012024', '03022024 00:00:00', false],
    ['date', '03012024', '', false],
    ['ignore', 'anything', 'else', true],
    ['ignore', 'anything', undefined, true],
  ];
  it.each(cases)('%s: %j against %j is %s', (mode, source, crm, expected) => {
    expect(agrees(mode, source, crmText(crm))).toBe(expected);
  });
});

describe('what the API normalises is no difference', () => {
  it('LF line ends: a CRLF (or CR) file never shows as a change', () => {
    expect(agrees('exact', 'a\r\nb\rc', crmText('a\nb\nc'))).toBe(true);
  });
  it('&rsquot; in a reply is the apostrophe the import sent', () => {
    expect(agrees('exact', "O'Brien", crmText('O&rsquot;Brien'))).toBe(true);
  });
  it("the live reply's self-closing empty tag and a tag the reply lacks both read as empty", () => {
    expect(crmText('')).toBe('');
    expect(crmText(undefined)).toBe('');
    expect(agrees('exact', 'Acme', crmText(undefined))).toBe(false);
  });
  it('a reply date MMDDYYYY HH:MM:SS against a sent MMDDYYYY[HH24MI]', () => {
    expect(agrees('date', '030120240930', crmText('03012024 09:30:00'))).toBe(true);
    expect(agrees('date', '03012024', crmText('03012024 00:00:00'))).toBe(true);
  });
  it('list values in another case: the CRM keeps its own spelling', () => {
    expect(agrees('case-insensitive', 'nt user', crmText('NT User'))).toBe(true);
  });
});

describe('compareModeOf: a field compares by its kind unless the mapping says compare:', () => {
  const mapping: Mapping = parseMapping(
    `object: task
action: upsert
key: id
match: TASK_LEGACY_ID
customFields: [TASK_LEGACY_ID, TASK_PICKLIST, TASK_DATE, TASK_TEXT]
fields:
  ACCOUNTNUM: { ref: customers, column: customer }
  SUBJECT: { column: subject, trim: true }
  DESCRIPTION: notes
  TASK_STATUS: status
  REMINDER: remind
  DUEDATE: { column: due, date: YYYY-MM-DD HH:mm }
  PHONE: { column: phone, transform: [phone] }
  EMAIL: { column: email, compare: ignore }
  ASSIGNEDTO: { column: owner, compare: case-insensitive }
  TASK_PICKLIST: topic
  TASK_DATE: { column: follow_up, date: YYYY-MM-DD }
  TASK_TEXT: details
  TASK_LEGACY_ID: id
`,
    'tasks.yaml',
  );
  const lists: TenantLists = { customFields: { TASK: { TASK_PICKLIST: { type: 'picklist', values: ['a'] }, TASK_TEXT: { type: 'text' } } } };
  const modes = Object.fromEntries(mapping.fields.map((f) => [f.tag, compareModeOf(f, 'TASK', lists)]));
  it.each([
    ['ACCOUNTNUM', 'exact'], // a reference: the id the id map gives
    ['SUBJECT', 'trimmed'],
    ['DESCRIPTION', 'exact'],
    ['TASK_STATUS', 'case-insensitive'], // a tenant list: stored as the tenant spells it
    ['REMINDER', 'exact'], // Y/N, case-sensitive in the guide
    ['DUEDATE', 'date'],
    ['PHONE', 'trimmed'],
    ['EMAIL', 'ignore'],
    ['ASSIGNEDTO', 'case-insensitive'],
    ['TASK_PICKLIST', 'case-insensitive'], // a custom picklist, as the tenant's lists say
    ['TASK_DATE', 'date'],
    ['TASK_TEXT', 'exact'],
  ])('%s: %s', (tag, mode) => {
    expect(modes[tag]).toBe(mode);
  });

  it('AUTOPASSWD and PASSWORD are not compared unless asked: an instruction and a secret', () => {
    const customer = parseMapping('object: customer\naction: add\nkey: id\nfields:\n  FIRSTNAME: f\n  LASTNAME: l\n  AUTOPASSWD: { value: "FALSE" }\n  PASSWORD: pw\n  CUSTOMERTYPE: t\n', 'c.yaml');
    expect(customer.fields.map((f) => compareModeOf(f, 'CUSTOMER', undefined))).toEqual(['exact', 'exact', 'ignore', 'ignore', 'case-insensitive']);
  });

  it('an unknown compare: is a mapping error naming the modes', () => {
    let error: unknown;
    try {
      parseMapping('object: customer\naction: add\nkey: id\nfields:\n  FIRSTNAME: { column: f, compare: fuzzy }\n  LASTNAME: l\n  AUTOPASSWD: { value: "TRUE" }\n', 'c.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MappingError);
    expect((error as MappingError).message).toMatch(/c\.yaml:5: fields\.FIRSTNAME\.compare: unknown compare "fuzzy" \(use one of: exact, case-insensitive, trimmed, date, ignore\)/);
  });
});
