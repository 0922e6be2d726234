import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { detectDateFormat } from '../../../src/init/detect-values.js';
import { planMapping } from '../../../src/init/plan-mapping.js';
import type { CsvSample } from '../../../src/init/read-sample.js';
import { sniffDelimiter } from '../../../src/init/read-sample.js';
import { renderMapping, yamlScalar } from '../../../src/init/render-mapping.js';
import { parseMapping } from '../../../src/mapping/load-mapping.js';
import { MappingError } from '../../../src/mapping/mapping-problem.js';
import type { MappingObject } from '../../../src/mapping/types.js';

function sample(header: string[], rows: string[][]): CsvSample {
  return {
    file: 'x.csv',
    delimiter: ',',
    header,
    rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))),
    truncated: false,
    encoding: 'utf-8',
    encodingNote: undefined,
  };
}

function fieldsOf(s: CsvSample, object: MappingObject): Record<string, unknown> {
  return planMapping(s, { object }).fields.reduce<Record<string, unknown>>((out, f) => ({ ...out, [f.tag]: f.spec.column ?? f.spec.value }), {});
}

/** The mapping text for a sample, and what loading it says. */
function generated(s: CsvSample, object: MappingObject): { text: string; error: string | undefined } {
  const text = renderMapping(planMapping(s, { object }), { input: 'x.csv', schema: './mapping.schema.json', out: 'm.yaml' });
  try {
    parseMapping(text, 'm.yaml');
    return { text, error: undefined };
  } catch (error) {
    if (error instanceof MappingError) return { text, error: error.message };
    throw error;
  }
}

describe('sniffDelimiter', () => {
  it.each([
    ['a,b,c', ','],
    ['a;b;c', ';'],
    ['a\tb\tc', '\t'],
    ['a|b|c', '|'],
    ['"a,b";c;d', ';'],
    ['single', ','],
  ])('%j -> %j', (line, d) => expect(sniffDelimiter(line)).toBe(d));
});

describe('detectDateFormat', () => {
  it.each([
    [['2024-03-05', '2024-12-31'], 'iso'],
    [['2019-04-02T09:12:00.000Z'], 'iso'],
    [['4/2/2019 9:12 AM', '12/31/2020 11:59 PM'], 'M/D/YYYY h:mm A'],
    [['31.12.2020', '1.2.2021'], 'D.M.YYYY'],
    [['05/18/2021 09:30', '04/05/2019 10:00'], 'M/D/YYYY H:mm'],
  ])('%j -> %s', (vs, format) => expect(detectDateFormat(vs)).toMatchObject({ kind: 'format', format }));

  it('day-first and month-first both fitting is ambiguous, not a guess', () => {
    expect(detectDateFormat(['04/05/2019', '01/02/2020'])).toEqual({ kind: 'ambiguous', formats: ['M/D/YYYY', 'D/M/YYYY'] });
  });

  it('reads a column with a few bad dates, not one of words', () => {
    expect(detectDateFormat(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-02-30'])).toMatchObject({ kind: 'format', format: 'iso' });
    expect(detectDateFormat(['soon', 'later'])).toEqual({ kind: 'none' });
  });
});

describe('planMapping: columns to fields', () => {
  it.each([['first_name'], ['First Name'], ['FirstName'], ['given name'], ['FIRSTNAME']])('%s is FIRSTNAME', (column) => {
    expect(fieldsOf(sample([column, 'Last Name'], [['Ann', 'Lee']]), 'customer')['FIRSTNAME']).toBe(column);
  });

  it('Phone and Mobile are VOICE and ALTERNATIVE; Mailing City is ADDR1CITY', () => {
    const f = fieldsOf(sample(['First Name', 'Last Name', 'Mobile', 'Phone', 'Mailing City', 'Mailing Country'], [['A', 'B', '+1 555 0101', '(415) 555-0132', 'Paris', 'France']]), 'customer');
    expect(f).toMatchObject({ VOICE: 'Phone', ALTERNATIVE: 'Mobile', ADDR1CITY: 'Mailing City', ADDR1COUNTRY: 'Mailing Country' });
  });

  it('an empty email column is not chosen over a filled one', () => {
    const f = fieldsOf(sample(['first_name', 'last_name', 'email_work', 'email_other'], [['A', 'B', '', 'a@example.com'], ['C', 'D', '', 'c@example.com']]), 'customer');
    expect(f['EMAIL']).toBe('email_other');
  });

  it('a column named like email whose values are not addresses is not EMAIL', () => {
    const f = fieldsOf(sample(['FirstName', 'LastName', 'HasOptedOutOfEmail'], [['A', 'B', 'false']]), 'customer');
    expect(f['EMAIL']).toBeUndefined();
  });

  it('a column named like a password is never mapped', () => {
    const s = sample(['first_name', 'last_name', 'password', 'Note'], [['A', 'B', 'hunter2', 'x']]);
    const plan = planMapping(s, { object: 'customer' });
    expect(plan.fields.find((f) => f.spec.column === 'password')).toBeUndefined();
    expect(plan.unmatched.find((u) => u.column === 'password')?.note).toContain('not imported');
    expect(generated(s, 'customer').text).not.toContain('hunter2');
  });

  it('a legacy id column becomes the key, a custom LEGACY_ID field and the match', () => {
    const plan = planMapping(sample(['Contact ID', 'First Name', 'Last Name'], [['003A', 'A', 'B'], ['003B', 'C', 'D']]), { object: 'customer' });
    expect(plan).toMatchObject({ key: 'Contact ID', match: 'LEGACY_ID', customFields: ['LEGACY_ID'], action: 'upsert' });
    expect(plan.fields.find((f) => f.tag === 'LEGACY_ID')?.spec.column).toBe('Contact ID');
  });

  it('without a legacy id, customers are matched by EMAIL', () => {
    const plan = planMapping(sample(['First Name', 'Last Name', 'Email'], [['A', 'B', 'a@x.io'], ['A', 'B', 'a@x.io']]), { object: 'customer' });
    expect(plan.match).toBe('EMAIL');
  });

  it('country codes become country names', () => {
    const plan = planMapping(sample(['first', 'last', 'country'], [['A', 'B', 'DE'], ['C', 'D', 'US'], ['E', 'F', 'Sweden']]), { object: 'customer' });
    expect(plan.fields.find((f) => f.tag === 'ADDR1COUNTRY')?.spec.map).toEqual({ DE: 'Germany', US: 'United States' });
  });

  it('yes/no columns become Y/N', () => {
    const plan = planMapping(sample(['activity_id', 'customer_id', 'remind'], [['A1', 'C1', 'yes'], ['A2', 'C1', 'No']]), { object: 'task' });
    expect(plan.fields.find((f) => f.tag === 'REMINDER')?.spec.map).toEqual({ yes: 'Y', No: 'N' });
  });
});

describe('the generated mapping fails loudly rather than guess', () => {
  it('a mandatory field with no column: the mapping does not load, and says which', () => {
    const s = sample(['ticket_id', 'customer_id', 'subject'], [['T1', 'C1', 'Help']]);
    const { text, error } = generated(s, 'case');
    expect(text).toMatch(/# TODO: Add case needs DESCRIPTION/);
    expect(error).toContain('Add Case needs DESCRIPTION, which is not mapped');
  });

  it('ambiguous dates: the mapping does not load until one format is kept', () => {
    const s = sample(['activity_id', 'customer_id', 'due date'], [['A1', 'C1', '04/05/2019'], ['A2', 'C1', '01/02/2020']]);
    const { text, error } = generated(s, 'task');
    expect(text).toContain('date: "TODO: M/D/YYYY or D/M/YYYY"');
    expect(error).toContain('fields.DUEDATE.date');
  });

  it('a file that is not UTF-8: the encoding found is written down, with why', () => {
    const s = { ...sample(['first_name', 'last_name'], [['José', 'B']]), encoding: 'windows-1252', encodingNote: 'read as windows-1252: not valid UTF-8 at line 2' };
    const { text } = generated(s, 'customer');
    expect(text).toContain('# read as windows-1252: not valid UTF-8 at line 2');
    expect(text).toContain('encoding: windows-1252');
  });

  it('an upsert with nothing to match on does not load', () => {
    const s = sample(['First Name', 'Last Name'], [['A', 'B'], ['A', 'B']]);
    const { text, error } = generated(s, 'customer');
    expect(text).toContain(`key: "TODO: the column that names each row"`);
    expect(error).toContain('upsert needs match');
  });

  it('a sample that maps cleanly loads as it is', () => {
    const s = sample(['Id', 'First Name', 'Last Name', 'Email'], [['1', 'A', 'B', 'a@x.io']]);
    expect(generated(s, 'customer').error).toBeUndefined();
  });
});

describe('yamlScalar', () => {
  it.each([['plain'], ['Country/Region'], ['a: b'], ['#hash'], ['x, y'], ['"quoted"'], ['[list]'], [' lead'], ['trail '], ['yes'], ['TRUE'], ['007'], ['Zoë'], ['- dash'], ['{brace}'], ['tab\there'], ['new\nline'], ['back\\slash'], ['']])(
    '%j reads back as itself in a flow map and as a value',
    (value) => {
      expect((parse(`m: { column: ${yamlScalar(value)} }`, { schema: 'failsafe' }) as { m: { column: string } }).m.column).toBe(value);
      expect((parse(`key: ${yamlScalar(value)}`, { schema: 'failsafe' }) as { key: string }).key).toBe(value);
    },
  );
});

describe('planMapping on the migration samples: the products\' own column names', () => {
  it.each([
    ['samples/salesforce/Contact.csv', 'customer', 'Id', { FIRSTNAME: 'FirstName', EMAIL: 'Email', ALTERNATIVE: 'MobilePhone', ADDR1CITY: 'MailingCity', ADDR2STR1: 'OtherStreet' }],
    ['samples/hubspot/contacts.csv', 'customer', 'Record ID', { LASTNAME: 'Last Name', VOICE: 'Phone Number', ALTERNATIVE: 'Mobile Phone Number', ADDR1STATE: 'State/Region', ADDR1COUNTRY: 'Country/Region' }],
    ['samples/zendesk/tickets.csv', 'case', 'Id', { SUBJECT: 'Subject', STATUS: 'Status', ASSIGNEDTO: 'Assignee', MEDIATYPE: 'Via' }],
    ['samples/zendesk/ticket-comments.csv', 'followup', 'id', { CASENUM: 'ticket_id', DESCRIPTION: 'body', MEDIATYPE: 'via.channel' }],
  ] as const)('%s', async (csv, object, key, expected) => {
    const { readSample } = await import('../../../src/init/read-sample.js');
    const plan = planMapping(await readSample(new URL(`../../../${csv}`, import.meta.url).pathname), { object });
    expect(plan.key).toBe(key);
    const columns = Object.fromEntries(plan.fields.map((f) => [f.tag, f.spec.column]));
    expect(columns).toMatchObject(expected);
  });
});
