/**
 * The vendor guide's parameter tables, one row per field of each object, as checked in review
 * (see catalogue.test.ts). Where the catalogue goes beyond a table on purpose, the row says so.
 */
import type { Action, FieldFormat, ObjectName, Presence } from '../../../src/protocol/catalogue.js';

/** "ADD:M MODIFY:O" -> { ADD: 'M', MODIFY: 'O' } */
export function actions(spec: string): Partial<Record<Action, Presence>> {
  if (spec === '') return {};
  return Object.fromEntries(spec.split(' ').map((p) => p.split(':') as [Action, Presence]));
}

const AMO = 'ADD:M MODIFY:O';
const AOMO = 'ADD:O MODIFY:O';
const AOMOG = 'ADD:O MODIFY:O GET:O';
const DATES = (...pairs: string[]): Row[] =>
  pairs.flatMap((p) => [[`FROM${p}`, 'GET:O', 'date'] as Row, [`TO${p}`, 'GET:O', 'date'] as Row]);

/** [tag, actions, format, maxLength]: every field of the object, in no particular order. */
export type Row = [tag: string, actions: string, format: FieldFormat, maxLength?: number];

const MB2 = 2 * 1024 * 1024; // "Maximum characters: 2 MB"

export const ROWS: Record<ObjectName, Row[]> = {
  CUSTOMER: [
    ['ACCOUNTNUM', 'MODIFY:M GET:O DELETE:M', 'digits'],
    ['FIRSTNAME', `${AMO} GET:O`, 'text', 30],
    ['LASTNAME', `${AMO} GET:O`, 'text', 30],
    ['EMAIL', AOMOG, 'email', 55],
    ['COMPANY', AOMOG, 'company', 50],
    ['VOICE', AOMOG, 'phone', 38],
    ['ALTERNATIVE', AOMO, 'phone', 38],
    ['FAX', AOMO, 'phone', 38],
    ['COMMENTS', AOMO, 'text', 1024],
    ['PASSWORD', AOMO, 'password', 15],
    ['AUTOPASSWD', AMO, 'boolean'],
    ['ADDR1STR1', AOMO, 'text', 50],
    ['ADDR1STR2', AOMO, 'text', 50],
    ['ADDR1CITY', AOMO, 'text', 40],
    ['ADDR1STATE', AOMO, 'text', 30],
    ['ADDR1ZIP', AOMO, 'text', 15],
    ['ADDR1COUNTRY', AOMO, 'enum'],
    ['ADDR2STR1', AOMO, 'text', 50],
    ['ADDR2STR2', AOMO, 'text', 50],
    ['ADDR2CITY', AOMO, 'text', 40],
    ['ADDR2STATE', AOMO, 'text', 30],
    ['ADDR2ZIP', AOMO, 'text', 15],
    ['ADDR2COUNTRY', AOMO, 'enum'],
    ['CUSTOMERTYPE', AOMOG, 'enum'],
    // Reply-only timestamps: the guide's GET replies do not show them; the FROM/TO filters imply them.
    ['CREATEDDATE', '', 'text'],
    ['LASTMODDATE', '', 'text'],
    ...DATES('CREATEDATE', 'LASTMODDATE'),
  ],
  CASE: [
    ['CASENUM', 'MODIFY:M GET:O DELETE:M', 'digits'],
    ['ACCOUNTNUM', 'ADD:M GET:O', 'digits'],
    ['SUBJECT', `${AMO} GET:O`, 'text', 255],
    ['DESCRIPTION', AMO, 'text', MB2],
    ['STATUS', AOMOG, 'enum'],
    ['PRIORITY', AOMOG, 'enum'],
    ['SEVERITY', AOMOG, 'enum'],
    // Not in the Modify Case table; accepted in MODIFY on purpose (catalogue header, protocol notes).
    ['PROJECT', AOMOG, 'enum'],
    ['CATEGORY', AOMOG, 'enum'],
    ['VISIBILITY', AOMO, 'enum'],
    ['MEDIATYPE', AOMO, 'enum'],
    ['ASSIGNEDTO', AOMOG, 'agent'],
    ['ASSIGNEDDATE', '', 'text'],
    ['CREATEDBY', 'GET:O', 'agent'],
    ['CREATEDDATE', '', 'text'],
    ['CLOSEDBY', '', 'text'],
    ['CLOSEDDATE', '', 'text'],
    ['LASTACTDATE', '', 'text'],
    ['LASTMODDATE', '', 'text'],
    ['LASTNAME', 'GET:O', 'company', 30],
    ['COMPANY', 'GET:O', 'company', 50],
    ['ATTACHMENTS', 'GET:O', 'enum'],
    ...DATES('DATE', 'CREATEDATE', 'LASTMODDATE'),
  ],
  FOLLOWUP: [
    ['FOLLOWUPNUM', 'DELETE:M', 'digits'],
    ['FOLLOWUPID', '', 'digits'],
    ['CASENUM', 'ADD:M GET:M DELETE:M', 'digits'],
    ['SUBJECT', 'ADD:M', 'text', 255],
    ['DESCRIPTION', 'ADD:M', 'text', MB2],
    ['STATUS', 'ADD:O', 'enum'],
    ['PRIORITY', 'ADD:O', 'enum'],
    ['SEVERITY', 'ADD:O', 'enum'],
    ['PROJECT', 'ADD:O', 'enum'],
    ['CATEGORY', 'ADD:O', 'enum'],
    ['VISIBILITY', 'ADD:O', 'enum'],
    ['MEDIATYPE', 'ADD:O', 'enum'],
    ['ASSIGNEDTO', 'ADD:O', 'agent'],
    ['ATTACHMENTS', '', 'digits'],
    ['CREATEDBY', '', 'text'],
    ['CREATEDDATE', '', 'text'],
    ...DATES('CREATEDATE'),
  ],
  TASK: [
    ['TASKNUM', 'MODIFY:M GET:O DELETE:M', 'digits'],
    ['ACCOUNTNUM', 'ADD:M GET:O', 'digits'],
    ['SUBJECT', AOMOG, 'text', 255],
    ['DESCRIPTION', 'ADD:O MODIFY:O GET:O', 'text', MB2],
    ['TASK_STATUS', AOMOG, 'enum'],
    ['MEDIA_TYPE', AOMOG, 'enum'],
    ['CALL_TYPE', AOMOG, 'enum'],
    ['PHONE', AOMOG, 'phone', 128],
    ['EMAIL', AOMOG, 'task-email', 255],
    ['DUEDATE', AOMO, 'datetime'],
    ['REMINDER', AOMOG, 'yn'],
    // CAMPAIGNNAME, CALLDURATION, TRANSID: not in the Modify Task table; accepted in MODIFY on purpose.
    ['CAMPAIGNNAME', AOMOG, 'text', 255],
    ['CALLDURATION', AOMO, 'digits', 13],
    ['TRANSID', AOMOG, 'digits', 10],
    // Not in the guide: live tenants accept it (README, "Protocol notes").
    ['MIDDLEWARE_URL', AOMO, 'text', 2048],
    ['ASSIGNEDTO', AOMOG, 'agent'],
    // ADD: from the Add Task example (<CREATEDBY>jsmith</CREATEDBY>), not from its table.
    ['CREATEDBY', 'ADD:O GET:O', 'agent'],
    ['CREATEDDATE', '', 'text'],
    ['LASTMODDATE', '', 'text'],
    ...DATES('CREATEDATE', 'LASTMODDATE'),
    ['FROMDUEDATE', 'GET:O', 'date-or-datetime'],
    ['TODUEDATE', 'GET:O', 'date-or-datetime'],
  ],
  FAQCATEGORY: [
    // GET: the guide's Get FAQ Category takes no parameters; FAQCATID is the catalogue's addition.
    ['FAQCATID', 'MODIFY:M GET:O DELETE:M', 'digits'],
    ['FAQCATEGORY', 'ADD:M MODIFY:M', 'faqcategory', 50],
    ['PRIVATE', AOMO, 'yn'],
  ],
  FAQ: [
    ['FAQID', 'MODIFY:M DELETE:M', 'digits'],
    ['FAQCATID', 'ADD:M GET:O', 'digits'],
    ['QUESTION', AMO, 'text', 250],
    ['ANSWER', AMO, 'text', 4000],
    ['SHORTCUT', AOMO, 'text', 20],
    ['PRIVATE', AOMO, 'yn'],
    // Not in the Modify FAQ table; accepted in MODIFY on purpose.
    ['LANGUAGE', AOMO, 'enum'],
    ['CREATEDDATE', '', 'text'],
    ['STRING', 'GET:O', 'text'],
    ...DATES('CREATEDATE'),
  ],
};
