import { describe, expect, it } from 'vitest';
import type { ObjectName } from '../../../src/protocol/catalogue.js';
import type { TenantLists } from '../../../src/mapping/tenant-lists.js';
import { validateRecord } from '../../../src/mapping/validate-record.js';

const LISTS: TenantLists = {
  COUNTRY: ['United States', 'Germany', 'Brazil'],
  CUSTOMERTYPE: ['Default', 'NT User', 'VIP'],
  CASE_STATUS: ['Unassigned', 'Open', 'Pending', 'Closed'],
  PRIORITY: ['Low', 'Medium', 'High'],
  TASK_STATUS: ['New', 'Pending', 'Closed'],
  agents: ['johnd', 'jsmith'],
  groups: ['101'],
  caseStatusUsability: { Unassigned: 'UNA', Open: 'OPN', Pending: 'OPN', Closed: 'CLS' },
  customFields: {
    CUSTOMER: {
      'CF01_PICKLIST.NAME': { type: 'picklist', values: ['value1', 'value2', 'value3'] },
      'CF02.NAME': { type: 'text', maxLength: 100 },
      LEGACY_ID: { type: 'text', maxLength: 50, unique: true },
      SCORE: { type: 'number' },
      SINCE: { type: 'date' },
      HOMEPAGE: { type: 'url' },
    },
  },
};

const CUSTOMER: Array<[string, string]> = [
  ['FIRSTNAME', 'Zoë'],
  ['LASTNAME', 'Müller'],
  ['AUTOPASSWD', 'TRUE'],
];
const CASE: Array<[string, string]> = [
  ['ACCOUNTNUM', '10000001'],
  ['SUBJECT', 'Printer says "paper jam"'],
  ['DESCRIPTION', 'Line 1\nLine 2'],
];
const TASK: Array<[string, string]> = [['ACCOUNTNUM', '10000001']];

type Case = [name: string, object: ObjectName, action: 'ADD' | 'MODIFY', fields: Array<[string, string]>, codes: string[]];

describe('validateRecord', () => {
  const cases: Case[] = [
    ['a valid customer', 'CUSTOMER', 'ADD', CUSTOMER, []],
    ['missing mandatory fields', 'CUSTOMER', 'ADD', [['FIRSTNAME', 'A']], ['MISSING_MANDATORY', 'MISSING_MANDATORY']],
    ['an empty mandatory field', 'CUSTOMER', 'ADD', [...CUSTOMER.slice(1), ['FIRSTNAME', ' ']], ['MISSING_MANDATORY']],
    ['too long', 'CUSTOMER', 'ADD', [...CUSTOMER, ['COMPANY', 'x'.repeat(51)]], ['TOO_LONG']],
    ['length counts characters, not UTF-16 units', 'CUSTOMER', 'ADD', [...CUSTOMER, ['COMPANY', '😀'.repeat(50)]], []],
    ['too short', 'CUSTOMER', 'ADD', [...CUSTOMER.slice(0, 2), ['AUTOPASSWD', 'FALSE'], ['PASSWORD', 'ab']], ['TOO_SHORT']],
    ['email characters', 'CUSTOMER', 'ADD', [...CUSTOMER, ['EMAIL', 'zoë@example.de']], ['BAD_FORMAT']],
    ['email without @', 'CUSTOMER', 'ADD', [...CUSTOMER, ['EMAIL', 'pedro(at)example.com']], ['BAD_FORMAT']],
    ['email ok', 'CUSTOMER', 'ADD', [...CUSTOMER, ['EMAIL', 'first.last-1_x@example.co.uk']], []],
    ['company with < >', 'CUSTOMER', 'ADD', [...CUSTOMER, ['COMPANY', 'A <B>']], ['BAD_CHARACTERS']],
    ['company whitespace only', 'CUSTOMER', 'ADD', [...CUSTOMER, ['COMPANY', '   ']], ['BLANK']],
    ['phone with letters', 'CUSTOMER', 'ADD', [...CUSTOMER, ['VOICE', '555-CALL-NOW']], ['BAD_CHARACTERS']],
    ['phone with no digit', 'CUSTOMER', 'ADD', [...CUSTOMER, ['VOICE', '( ) -']], ['BAD_CHARACTERS']],
    ['phone ok', 'CUSTOMER', 'ADD', [...CUSTOMER, ['VOICE', '+49 (30) 123/456-7_8.9']], []],
    ['password characters', 'CUSTOMER', 'ADD', [...CUSTOMER.slice(0, 2), ['AUTOPASSWD', 'false'], ['PASSWORD', 'pa$$word']], ['BAD_CHARACTERS']],
    ['boolean', 'CUSTOMER', 'ADD', [...CUSTOMER.slice(0, 2), ['AUTOPASSWD', 'yes']], ['BAD_FORMAT']],
    ['AUTOPASSWD FALSE needs PASSWORD', 'CUSTOMER', 'ADD', [...CUSTOMER.slice(0, 2), ['AUTOPASSWD', 'False']], ['PASSWORD_REQUIRED']],
    ['AUTOPASSWD TRUE refuses PASSWORD', 'CUSTOMER', 'ADD', [...CUSTOMER, ['PASSWORD', 'secret1']], ['PASSWORD_WITH_AUTOPASSWD']],
    ['AUTOPASSWD on modify is checked too', 'CUSTOMER', 'MODIFY', [['ACCOUNTNUM', '10000001'], ['AUTOPASSWD', 'FALSE']], ['PASSWORD_REQUIRED']],
    ['a country from the list', 'CUSTOMER', 'ADD', [...CUSTOMER, ['ADDR1COUNTRY', 'Germany']], []],
    ['a country not in the list', 'CUSTOMER', 'ADD', [...CUSTOMER, ['ADDR1COUNTRY', 'DE']], ['NOT_IN_LIST']],
    ['enumerations ignore case, as the server does', 'CUSTOMER', 'ADD', [...CUSTOMER, ['CUSTOMERTYPE', 'vip']], []],
    ['a read-only field', 'CUSTOMER', 'ADD', [...CUSTOMER, ['CREATEDDATE', '01012024']], ['READ_ONLY']],
    ['a GET-only field', 'CUSTOMER', 'ADD', [...CUSTOMER, ['FROMCREATEDATE', '01012024']], ['TAG_NOT_VALID']],
    ['ACCOUNTNUM on Add Customer', 'CUSTOMER', 'ADD', [...CUSTOMER, ['ACCOUNTNUM', '1']], ['TAG_NOT_VALID']],
    ['a tag twice', 'CUSTOMER', 'ADD', [...CUSTOMER, ['FIRSTNAME', 'B']], ['DUPLICATE_TAG']],
    ['a control character', 'CUSTOMER', 'ADD', [...CUSTOMER, ['COMMENTS', 'bell\u0007']], ['NOT_XML']],
    ['modify needs the id', 'CUSTOMER', 'MODIFY', [['FIRSTNAME', 'A']], ['MISSING_MANDATORY']],
    ['modify with the id', 'CUSTOMER', 'MODIFY', [['ACCOUNTNUM', '10000001'], ['FIRSTNAME', 'A']], []],
    ['custom picklist value', 'CUSTOMER', 'ADD', [...CUSTOMER, ['CF01_PICKLIST.NAME', 'value2']], []],
    ['custom picklist bad value', 'CUSTOMER', 'ADD', [...CUSTOMER, ['CF01_PICKLIST.NAME', 'value9']], ['NOT_IN_LIST']],
    ['custom text too long', 'CUSTOMER', 'ADD', [...CUSTOMER, ['CF02.NAME', 'x'.repeat(101)]], ['TOO_LONG']],
    ['custom number', 'CUSTOMER', 'ADD', [...CUSTOMER, ['SCORE', '12.5x']], ['BAD_FORMAT']],
    ['custom date', 'CUSTOMER', 'ADD', [...CUSTOMER, ['SINCE', '02302024']], ['BAD_DATE']],
    ['custom url', 'CUSTOMER', 'ADD', [...CUSTOMER, ['HOMEPAGE', 'example.com']], ['BAD_FORMAT']],
    ['custom tag matched ignoring case', 'CUSTOMER', 'ADD', [...CUSTOMER, ['legacy_id', 'L-1']], []],
    ['a tag that is no field of the tenant', 'CUSTOMER', 'ADD', [...CUSTOMER, ['LEGACYID', 'L-1']], ['UNKNOWN_FIELD']],
    ['a valid case', 'CASE', 'ADD', CASE, []],
    ['case ids are digits', 'CASE', 'ADD', [['ACCOUNTNUM', 'C-1'], ...CASE.slice(1)], ['BAD_CHARACTERS']],
    ['case assigned without status', 'CASE', 'ADD', [...CASE, ['ASSIGNEDTO', 'johnd']], ['ASSIGNEE_WITHOUT_STATUS']],
    ['case open needs an assignee', 'CASE', 'ADD', [...CASE, ['STATUS', 'Open']], ['STATUS_NEEDS_ASSIGNEE']],
    ['case open with an assignee', 'CASE', 'ADD', [...CASE, ['STATUS', 'Pending'], ['ASSIGNEDTO', 'jsmith']], []],
    ['case open with a group', 'CASE', 'ADD', [...CASE, ['STATUS', 'Open'], ['ASSIGNEDTO', '101']], []],
    ['case unassigned refuses an assignee', 'CASE', 'ADD', [...CASE, ['STATUS', 'Unassigned'], ['ASSIGNEDTO', 'johnd']], ['STATUS_FORBIDS_ASSIGNEE']],
    ['case usability ignores case', 'CASE', 'ADD', [...CASE, ['STATUS', 'open']], ['STATUS_NEEDS_ASSIGNEE']],
    ['case closed, assignee or not', 'CASE', 'ADD', [...CASE, ['STATUS', 'Closed']], []],
    ['case modify: open may lean on the current assignee', 'CASE', 'MODIFY', [['CASENUM', '1'], ['STATUS', 'Open']], []],
    ['case modify: assignee without status', 'CASE', 'MODIFY', [['CASENUM', '1'], ['ASSIGNEDTO', 'johnd']], ['ASSIGNEE_WITHOUT_STATUS']],
    ['case modify: ACCOUNTNUM is Add only', 'CASE', 'MODIFY', [['CASENUM', '1'], ['ACCOUNTNUM', '10000001']], ['TAG_NOT_VALID']],
    ['unknown agent', 'CASE', 'ADD', [...CASE, ['STATUS', 'Open'], ['ASSIGNEDTO', 'JohnD']], ['UNKNOWN_AGENT']],
    ['case status not in the list', 'CASE', 'ADD', [...CASE, ['STATUS', 'Solved']], ['NOT_IN_LIST']],
    ['a valid task', 'TASK', 'ADD', [...TASK, ['DUEDATE', '022920241730'], ['REMINDER', 'Y'], ['TASK_STATUS', 'Pending']], []],
    ['task due date not a date', 'TASK', 'ADD', [...TASK, ['DUEDATE', '02302024']], ['BAD_DATE']],
    ['task due date needs the time', 'TASK', 'ADD', [...TASK, ['DUEDATE', '02292024']], ['BAD_DATE']],
    ['task due date 24:00', 'TASK', 'ADD', [...TASK, ['DUEDATE', '022920242400']], ['BAD_DATE']],
    ['task reminder without due date', 'TASK', 'ADD', [...TASK, ['REMINDER', 'N']], ['REMINDER_WITHOUT_DUEDATE']],
    ['task reminder on modify may lean on the due date', 'TASK', 'MODIFY', [['TASKNUM', '1'], ['REMINDER', 'Y']], []],
    ['task reminder is Y or N', 'TASK', 'ADD', [...TASK, ['DUEDATE', '022920241730'], ['REMINDER', 'y']], ['BAD_FORMAT']],
    ['task email', 'TASK', 'ADD', [...TASK, ['EMAIL', 'ann@localhost']], ['BAD_FORMAT']],
    ['task transid is digits, at most 10', 'TASK', 'ADD', [...TASK, ['TRANSID', '12345678901']], ['TOO_LONG']],
    ['task MEDIATYPE is MEDIA_TYPE', 'TASK', 'ADD', [...TASK, ['MEDIATYPE', 'Phone'], ['MEDIA_TYPE', 'Chat']], ['DUPLICATE_TAG']],
    ['a follow-up', 'FOLLOWUP', 'ADD', [['CASENUM', '1'], ['SUBJECT', 's'], ['DESCRIPTION', 'd']], []],
    ['a follow-up without description', 'FOLLOWUP', 'ADD', [['CASENUM', '1'], ['SUBJECT', 's']], ['MISSING_MANDATORY']],
  ];

  it.each(cases)('%s', (_name, object, action, fields, codes) => {
    const problems = validateRecord(object, action, fields, LISTS);
    expect(problems.map((p) => p.code)).toEqual(codes);
    for (const p of problems) expect(p.message.startsWith(`${p.field}: `)).toBe(true);
  });

  it('checks no tenant list when none is given', () => {
    const fields: Array<[string, string]> = [...CASE, ['STATUS', 'Whatever'], ['ASSIGNEDTO', 'nobody'], ['MADE_UP', 'x']];
    expect(validateRecord('CASE', 'ADD', fields)).toEqual([]);
  });

  it('checks fixed enumerations without a tenant', () => {
    expect(validateRecord('FAQ', 'ADD', [['FAQCATID', '1'], ['QUESTION', 'q'], ['ANSWER', 'a'], ['LANGUAGE', 'xx']]).map((p) => p.code)).toEqual(['NOT_IN_LIST']);
  });

  it('counts pending tags as present and does not check their values', () => {
    const problems = validateRecord('CASE', 'ADD', CASE.slice(1), LISTS, { pending: ['ACCOUNTNUM'] });
    expect(problems).toEqual([]);
  });

  it('says what is wrong, with the value and a fix', () => {
    const [email] = validateRecord('CUSTOMER', 'ADD', [...CUSTOMER, ['EMAIL', 'pedro(at)example.com']]);
    expect(email).toEqual({
      field: 'EMAIL',
      code: 'BAD_FORMAT',
      message: 'EMAIL: "pedro(at)example.com" must be one address, name@domain, of the characters A-Z a-z 0-9 . _ - @',
    });
    const [country] = validateRecord('CUSTOMER', 'ADD', [...CUSTOMER, ['ADDR1COUNTRY', 'DE']], LISTS);
    expect(country?.message).toBe('ADDR1COUNTRY: "DE" is not one of the tenant\'s COUNTRY values (use one of: United States, Germany, Brazil)');
    const [agent] = validateRecord('CASE', 'ADD', [...CASE, ['STATUS', 'Open'], ['ASSIGNEDTO', 'JohnD']], LISTS);
    expect(agent?.message).toBe('ASSIGNEDTO: "JohnD" is not one of the tenant\'s agents (did you mean "johnd"? (case matters))');
  });
});
