/**
 * The guide's "Error Cases" table: every row provoked at least once over HTTP, and the reply's
 * ERROR_STR checked word for word against the row (placeholders filled, README "Protocol notes"), with the
 * ERROR_CODE the emulator documents. Plus 303 (bad login) and 310 (no permission).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_CONFIG, type RunningEmulator } from '../../src/emulator/index.js';
import type { WapiReply } from '../../src/protocol/reply.js';
import { CREDENTIALS, emulator, expectRejected, expectSelfClosingError, postRaw, replyOf, send, sendXml, VIEWER, type Tags } from './helpers.js';

/** The table's rows, word for word (the extraction's curly quotes straightened). */
const TABLE = [
  "Action 'Action Name' Not Valid for the Object 'Object Name'",
  'Action Value not passed',
  'Action Value Not Valid',
  "CASENUM 'case number' is an EMAIL Case. The Description of an Email Case cannot be modified",
  "Duplicate Tag 'Alias Name'",
  "Duplicate value 'Value passed' of 'Alias Name'",
  'FAQCATID not passed',
  'FAQ Category cannot be deleted when FAQ exists for the given category',
  'Inconsistent tags. AUTOPASSWORD is TRUE and PASSWORD is also provided',
  "Input Error: The tag 'tag name' not passed",
  'Internal Error',
  'No tags are found',
  'None of the possible mandatory tags or its values is found. Please check the documentation and pass at least one mandatory tag',
  'Not a valid XML string',
  "Not a valid XML string. Error after 'Tag Name'",
  "OBJECT name 'Object Name' not valid",
  "OBJECT 'Object Name' is not a valid object",
  'OBJECT value not passed',
  "Regular expression not allowed for the alias 'Alias Name'",
  "TAGS Incompatible. ASSIGNEDTO passed but no STATUS is passed. By default STATUS value is label with USABILITY ='UNA'",
  'TAGS Incompatible. ASSIGNEDTO passed but STATUS is UNASSIGNED',
  'TAGS Incompatible. ASSIGNEDTO passed with STATUS = Unassigned',
  'TAGS Incompatible. EMPTY ASSIGNEDTO passed with STATUS = OPEN',
  'TAGS Incompatible. The usability of STATUS cannot be OPN, when the Case is not assigned to some agent',
  'TAGS Incompatible. The usability of STATUS cannot be UNA, when the Case is assigned to some agent',
  'TAGS Incompatible. The usability of STATUS is OPN, but no ASSIGNEDTO passed',
  'TAGS Incompatible. The value of STATUS cannot be Unassigned, when the Case is assigned to some agent',
  "The ALIAS 'AUTOPASSWD' is not given",
  "The ALIAS 'AUTOPASSWD' is FALSE, but ALIAS 'PASSWORD' is not provided",
  "The length of the value for the alias 'Alias Name' doesn't confirm to the criterion. The length of the value passed is 'length of the value', min length allowed is 'min length allowed' and max length allowed is 'max length allowed'",
  "The length of the value of the tag 'Alias Name' is 'Passed Length' which is greater than the allowed value 'Allowed Max Value'",
  "The mandatory tag 'Alias Name' is not passed or the value for this tag is not passed",
  "The passed caseid 'Case Number' is not valid",
  "The passed value 'Alias Value' of the alias 'Alias Name' doesn't meet the specified criterion",
  "The tag 'Alias Name' is not a valid tag for the 'Action' on the 'object'",
  "The STATUS of the tag 'Alias Name' is 'DEL'. No action allowed on this tag",
  "The STATUS of the value 'Value of the ASSIGNEDTO' of the ASSIGNEDTO tag is deleted",
  "The STATUS of the value 'Value Passed' of the ASSIGNEDTO tag is deleted",
  "The value of the passed alias 'Alias Name' is not in the correct format (mmddyyyy)",
  "The value 'Passed Value' of the alias 'Alias Name' is not valid",
  "The value 'value' for the tag 'tag name' is not valid",
  "The value = 'Value passed' of the tag 'Tag Name' is not valid",
  "XML string not correct. Error at line 'line number': 'Error Message'",
] as const;

type Row = (typeof TABLE)[number];

/** A row as a pattern: each quoted placeholder (a quote after a space, not the one of "doesn't") matches any value. */
function rowPattern(row: Row): RegExp {
  const escaped = row.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/(?<=^|[\s=])'[^']*'/g, "'.*'")}$`);
}

const LOGIN = '<TENANT>AcmeJets</TENANT><USERNAME>johnd</USERNAME><PASSWORD>john123</PASSWORD>';
const xml = (command: string) => `<WAPI>${LOGIN}${command}</WAPI>`;

let emu: RunningEmulator;
let dir: string;
const provoked = new Set<Row>();

/** The reply must be this row, filled in as `errorStr`, with this ERROR_CODE. */
function expectRow(reply: WapiReply, row: Row, errorCode: number, errorStr: string): void {
  expect(errorStr).toMatch(rowPattern(row));
  expectRejected(reply, errorCode, errorStr);
  provoked.add(row);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wapi-errors-'));
  // The sample tenant plus a second unassigned status, "Queued", for the row about a UNA status
  // other than "Unassigned" itself.
  const tenant = readFileSync(DEFAULT_TENANT_CONFIG, 'utf8').replace(
    '    - { value: Unassigned, usability: UNA }\n',
    '    - { value: Unassigned, usability: UNA }\n    - { value: Queued, usability: UNA }\n',
  );
  expect(tenant).toContain('Queued');
  writeFileSync(join(dir, 'tenant.yaml'), tenant);
  emu = await emulator({
    db: join(dir, 'crm.db'),
    tenantConfig: join(dir, 'tenant.yaml'),
    fixtures: {
      customers: [
        { ACCOUNTNUM: 10000000, FIRSTNAME: 'Ada', LASTNAME: 'Lovelace', EMAIL: 'ada@example.com', AUTOPASSWD: 'TRUE', LEGACY_ID: 'L-1' },
      ],
      cases: [
        { CASENUM: 1, ACCOUNTNUM: 10000000, SUBJECT: 'Assigned', DESCRIPTION: 'd', STATUS: 'Open', ASSIGNEDTO: 'jsmith', CREATEDBY: 'johnd' },
        { CASENUM: 2, ACCOUNTNUM: 10000000, SUBJECT: 'Unassigned', DESCRIPTION: 'd', STATUS: 'Unassigned', CREATEDBY: 'johnd' },
        // A case that came in by e-mail.
        { CASENUM: 3, ACCOUNTNUM: 10000000, SUBJECT: 'Mail', DESCRIPTION: 'From: a@b.c', STATUS: 'Unassigned', MEDIATYPE: 'Email', EMAIL_CASE: 'Y', CREATEDBY: '' },
      ],
      tasks: [{ TASKNUM: 1, ACCOUNTNUM: 10000000, SUBJECT: 'Call', ASSIGNEDTO: 'johnd', CREATEDBY: 'johnd' }],
      faqcategories: [{ FAQCATID: 1, FAQCATEGORY: 'Safety' }],
      faqs: [{ FAQID: 1, FAQCATID: 1, QUESTION: 'Q', ANSWER: 'A', SHORTCUT: 'dup' }],
    },
  });
});

afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

const cmd = (object: string, action: string, tags: Tags) => send(emu.url, object, action, tags);

describe('the Error Cases table', () => {
  it("Action 'A' Not Valid for the Object 'O'", async () => {
    const reply = await sendXml(emu.url, xml('<COMMAND OBJECT="Followup" ACTION="Modify"><CASENUM>1</CASENUM></COMMAND>'));
    expectRow(reply, TABLE[0], 10, "Action 'Modify' Not Valid for the Object 'Followup'");
  });

  it('Action Value not passed; Action Value Not Valid', async () => {
    expectRow(await sendXml(emu.url, xml('<COMMAND OBJECT="CUSTOMER"><ACCOUNTNUM>1</ACCOUNTNUM></COMMAND>')), TABLE[1], 10, 'Action Value not passed');
    expectRow(await sendXml(emu.url, xml('<COMMAND OBJECT="CUSTOMER" ACTION=""></COMMAND>')), TABLE[1], 10, 'Action Value not passed');
    expectRow(await sendXml(emu.url, xml('<COMMAND OBJECT="CUSTOMER" ACTION="FETCH"></COMMAND>')), TABLE[2], 10, 'Action Value Not Valid');
  });

  it('CASENUM n is an EMAIL Case: its DESCRIPTION cannot be modified (the rest can)', async () => {
    expectRow(await cmd('CASE', 'MODIFY', [['CASENUM', '3'], ['DESCRIPTION', 'edited']]), TABLE[3], 19, "CASENUM '3' is an EMAIL Case. The Description of an Email Case cannot be modified");
    expect((await cmd('CASE', 'MODIFY', [['CASENUM', '3'], ['SUBJECT', 'Mail (read)']])).status).toBe('0');
  });

  it("Duplicate Tag 'T' (ADD, MODIFY, DELETE)", async () => {
    expectRow(await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['FIRSTNAME', 'b'], ['LASTNAME', 'c'], ['AUTOPASSWD', 'TRUE']]), TABLE[4], 11, "Duplicate Tag 'FIRSTNAME'");
    expectRow(await cmd('TASK', 'MODIFY', [['TASKNUM', '1'], ['TASK_TEXT', 'a'], ['TASK_TEXT', 'b']]), TABLE[4], 11, "Duplicate Tag 'TASK_TEXT'");
    expectRow(await cmd('TASK', 'DELETE', [['TASKNUM', '1'], ['TASKNUM', '1']]), TABLE[4], 11, "Duplicate Tag 'TASKNUM'");
  });

  it("Duplicate value 'v' of 'T': unique custom fields, FAQ shortcuts, and e-mail (8x8's code 81)", async () => {
    expectRow(await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'TRUE'], ['LEGACY_ID', 'L-1']]), TABLE[5], 12, "Duplicate value 'L-1' of 'LEGACY_ID'");
    expectRow(await cmd('FAQ', 'ADD', [['FAQCATID', '1'], ['QUESTION', 'q'], ['ANSWER', 'a'], ['SHORTCUT', 'dup']]), TABLE[5], 12, "Duplicate value 'dup' of 'SHORTCUT'");
    // E-mail addresses are unique whatever their case.
    expectRow(await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'TRUE'], ['EMAIL', 'ADA@example.com']]), TABLE[5], 81, "Duplicate value 'ADA@example.com' of 'EMAIL'");
  });

  it('FAQCATID not passed; FAQ Category cannot be deleted when FAQ exists', async () => {
    expectRow(await sendXml(emu.url, xml('<COMMAND OBJECT="FAQCATEGORY" ACTION="DELETE"></COMMAND>')), TABLE[6], 6, 'FAQCATID not passed');
    expectRow(await cmd('FAQCATEGORY', 'DELETE', [['FAQCATID', '1']]), TABLE[7], 17, 'FAQ Category cannot be deleted when FAQ exists for the given category');
  });

  it('Inconsistent tags. AUTOPASSWORD is TRUE and PASSWORD is also provided', async () => {
    expectRow(await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'true'], ['PASSWORD', 'secret']]), TABLE[8], 18, TABLE[8]);
  });

  it("Input Error: The tag 'T' not passed (REMINDER without DUEDATE; a follow-up GET without CASENUM)", async () => {
    expectRow(await cmd('TASK', 'ADD', [['ACCOUNTNUM', '10000000'], ['REMINDER', 'Y']]), TABLE[9], 6, "Input Error: The tag 'DUEDATE' not passed");
    expectRow(await cmd('FOLLOWUP', 'GET', [['FROMCREATEDATE', '01012020']]), TABLE[9], 6, "Input Error: The tag 'CASENUM' not passed");
  });

  it('No tags are found; None of the possible mandatory tags', async () => {
    expectRow(await sendXml(emu.url, xml('<COMMAND OBJECT="CUSTOMER" ACTION="ADD"></COMMAND>')), TABLE[11], 7, 'No tags are found');
    expectRow(await sendXml(emu.url, xml('<COMMAND OBJECT="TASK" ACTION="DELETE"/>')), TABLE[11], 7, 'No tags are found');
    expectRow(await cmd('CASE', 'ADD', [['PRIORITY', 'High']]), TABLE[12], 8, TABLE[12]);
  });

  it('Not a valid XML string (not XML, empty, no xml_query); Error after the tag (wrong root, markup in a value)', async () => {
    expectRow(await sendXml(emu.url, 'hello'), TABLE[13], 1, 'Not a valid XML string');
    expectRow(replyOf(await postRaw(emu.url, 'xml_query=')), TABLE[13], 1, 'Not a valid XML string');
    expectRow(replyOf(await postRaw(emu.url, 'query=<WAPI/>')), TABLE[13], 1, 'Not a valid XML string');
    expectRow(await sendXml(emu.url, `<REQUEST>${LOGIN}</REQUEST>`), TABLE[14], 1, "Not a valid XML string. Error after 'REQUEST'");
    expectRow(await sendXml(emu.url, xml('<COMMAND OBJECT="CUSTOMER" ACTION="GET"><LASTNAME><b>x</b></LASTNAME></COMMAND>')), TABLE[14], 1, "Not a valid XML string. Error after 'LASTNAME'");
  });

  it("OBJECT name 'O' not valid; OBJECT 'O' is not a valid object; OBJECT value not passed", async () => {
    expectRow(await sendXml(emu.url, xml('<COMMAND OBJECT="Cust-omer" ACTION="GET"></COMMAND>')), TABLE[15], 9, "OBJECT name 'Cust-omer' not valid");
    expectRow(await sendXml(emu.url, xml('<COMMAND OBJECT="Contact" ACTION="GET"></COMMAND>')), TABLE[16], 9, "OBJECT 'Contact' is not a valid object");
    expectRow(await sendXml(emu.url, xml('<COMMAND ACTION="GET"></COMMAND>')), TABLE[17], 9, 'OBJECT value not passed');
    expectRow(await sendXml(emu.url, `<WAPI>${LOGIN}</WAPI>`), TABLE[17], 9, 'OBJECT value not passed');
  });

  it("Regular expression not allowed for the alias 'T'", async () => {
    expectRow(await cmd('CUSTOMER', 'GET', [['VOICE', '%555%']]), TABLE[18], 4, "Regular expression not allowed for the alias 'VOICE'");
    expectRow(await cmd('CASE', 'GET', [['CASENUM', '1%']]), TABLE[18], 4, "Regular expression not allowed for the alias 'CASENUM'");
    expectRow(await cmd('CUSTOMER', 'GET', [['LEGACY_ID', 'L%']]), TABLE[18], 4, "Regular expression not allowed for the alias 'LEGACY_ID'");
  });

  describe('TAGS Incompatible: the status and assignee of a case', () => {
    const addCase = (tags: Tags) => cmd('CASE', 'ADD', [['ACCOUNTNUM', '10000000'], ['SUBJECT', 's'], ['DESCRIPTION', 'd'], ...tags]);
    const modify = (casenum: string, tags: Tags) => cmd('CASE', 'MODIFY', [['CASENUM', casenum], ...tags]);

    it('ASSIGNEDTO passed but no STATUS (ADD and MODIFY)', async () => {
      expectRow(await addCase([['ASSIGNEDTO', 'jsmith']]), TABLE[19], 13, TABLE[19]);
      expectRow(await modify('2', [['ASSIGNEDTO', 'jsmith']]), TABLE[19], 13, TABLE[19]);
    });

    it('ASSIGNEDTO passed but STATUS is UNASSIGNED (MODIFY); ASSIGNEDTO passed with STATUS = Unassigned (ADD)', async () => {
      expectRow(await modify('1', [['STATUS', 'Unassigned'], ['ASSIGNEDTO', 'bobp']]), TABLE[20], 13, TABLE[20]);
      expectRow(await addCase([['STATUS', 'Unassigned'], ['ASSIGNEDTO', 'bobp']]), TABLE[21], 13, TABLE[21]);
    });

    it('EMPTY ASSIGNEDTO passed with STATUS = OPEN (ADD and MODIFY)', async () => {
      expectRow(await addCase([['STATUS', 'Open'], ['ASSIGNEDTO', '']]), TABLE[22], 13, TABLE[22]);
      expectRow(await modify('1', [['STATUS', 'Pending'], ['ASSIGNEDTO', '']]), TABLE[22], 13, TABLE[22]);
    });

    it('the usability of STATUS cannot be OPN when the case is not assigned (MODIFY); OPN but no ASSIGNEDTO (ADD)', async () => {
      expectRow(await modify('2', [['STATUS', 'Open']]), TABLE[23], 13, TABLE[23]);
      expectRow(await addCase([['STATUS', 'Pending']]), TABLE[25], 13, TABLE[25]);
    });

    it('the usability of STATUS cannot be UNA / the value cannot be Unassigned when the case is assigned', async () => {
      expectRow(await modify('1', [['STATUS', 'Queued']]), TABLE[24], 13, TABLE[24]);
      expectRow(await modify('1', [['STATUS', 'Unassigned']]), TABLE[26], 13, TABLE[26]);
      // Sending an empty ASSIGNEDTO with it is how a case is unassigned.
      expect((await modify('1', [['STATUS', 'Queued'], ['ASSIGNEDTO', '']])).status).toBe('0');
    });
  });

  it("The ALIAS 'AUTOPASSWD' is not given / is FALSE, but ALIAS 'PASSWORD' is not provided", async () => {
    expectRow(await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b']]), TABLE[27], 6, TABLE[27]);
    expectRow(await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'False']]), TABLE[28], 6, TABLE[28]);
  });

  it('the two length errors: standard fields (min and max) and custom fields', async () => {
    expectRow(
      await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'.repeat(31)], ['LASTNAME', 'b'], ['AUTOPASSWD', 'TRUE']]),
      TABLE[29],
      3,
      "The length of the value for the alias 'FIRSTNAME' doesn't confirm to the criterion. The length of the value passed is '31', min length allowed is '1' and max length allowed is '30'",
    );
    expectRow(
      await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'FALSE'], ['PASSWORD', 'ab']]),
      TABLE[29],
      3,
      "The length of the value for the alias 'PASSWORD' doesn't confirm to the criterion. The length of the value passed is '2', min length allowed is '3' and max length allowed is '15'",
    );
    expectRow(
      await cmd('TASK', 'MODIFY', [['TASKNUM', '1'], ['TASK_TEXT', 'x'.repeat(256)]]),
      TABLE[30],
      3,
      "The length of the value of the tag 'TASK_TEXT' is '256' which is greater than the allowed value '255'",
    );
  });

  it("The mandatory tag 'T' is not passed or its value is not", async () => {
    expectRow(await cmd('CASE', 'ADD', [['ACCOUNTNUM', '10000000'], ['SUBJECT', 's']]), TABLE[31], 6, "The mandatory tag 'DESCRIPTION' is not passed or the value for this tag is not passed");
    expectRow(await cmd('CASE', 'ADD', [['ACCOUNTNUM', '10000000'], ['SUBJECT', 's'], ['DESCRIPTION', '']]), TABLE[31], 6, "The mandatory tag 'DESCRIPTION' is not passed or the value for this tag is not passed");
  });

  it("The passed caseid 'n' is not valid", async () => {
    expectRow(await cmd('FOLLOWUP', 'ADD', [['CASENUM', '999'], ['SUBJECT', 's'], ['DESCRIPTION', 'd']]), TABLE[32], 5, "The passed caseid '999' is not valid");
    expectRow(await cmd('CASE', 'MODIFY', [['CASENUM', '999'], ['SUBJECT', 's']]), TABLE[32], 5, "The passed caseid '999' is not valid");
  });

  it("The passed value 'v' of the alias 'T' doesn't meet the specified criterion", async () => {
    expectRow(await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'TRUE'], ['EMAIL', 'ada at example']]), TABLE[33], 2, "The passed value 'ada at example' of the alias 'EMAIL' doesn't meet the specified criterion");
    expectRow(await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'TRUE'], ['VOICE', 'call me']]), TABLE[33], 2, "The passed value 'call me' of the alias 'VOICE' doesn't meet the specified criterion");
    expectRow(await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'TRUE'], ['COMPANY', '   ']]), TABLE[33], 2, "The passed value '   ' of the alias 'COMPANY' doesn't meet the specified criterion");
  });

  it("The tag 'T' is not a valid tag for the 'A' on the 'O'", async () => {
    expectRow(await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'TRUE'], ['NICKNAME', 'x']]), TABLE[34], 16, "The tag 'NICKNAME' is not a valid tag for the 'ADD' on the 'CUSTOMER'");
    // A read-only field is no request tag either.
    expectRow(await cmd('CASE', 'MODIFY', [['CASENUM', '1'], ['CREATEDBY', 'bobp']]), TABLE[34], 16, "The tag 'CREATEDBY' is not a valid tag for the 'MODIFY' on the 'CASE'");
  });

  it("The STATUS of the tag 'T' is 'DEL' (a deleted custom field)", async () => {
    expectRow(await cmd('CUSTOMER', 'GET', [['OLD_NOTES', 'x']]), TABLE[35], 15, "The STATUS of the tag 'OLD_NOTES' is 'DEL'. No action allowed on this tag");
  });

  it('The STATUS of the value of the ASSIGNEDTO tag is deleted (a deleted agent; a deleted group)', async () => {
    const addCase = (assignee: string) => cmd('CASE', 'ADD', [['ACCOUNTNUM', '10000000'], ['SUBJECT', 's'], ['DESCRIPTION', 'd'], ['STATUS', 'Open'], ['ASSIGNEDTO', assignee]]);
    expectRow(await addCase('oldagent'), TABLE[36], 15, "The STATUS of the value 'oldagent' of the ASSIGNEDTO tag is deleted");
    expectRow(await addCase('103'), TABLE[37], 15, "The STATUS of the value '103' of the ASSIGNEDTO tag is deleted");
    expectRow(await cmd('TASK', 'MODIFY', [['TASKNUM', '1'], ['ASSIGNEDTO', 'oldagent']]), TABLE[36], 15, "The STATUS of the value 'oldagent' of the ASSIGNEDTO tag is deleted");
  });

  it('The value of the passed alias is not in the correct format (mmddyyyy)', async () => {
    expectRow(await cmd('CUSTOMER', 'GET', [['FROMCREATEDATE', '2012-06-20']]), TABLE[38], 14, "The value of the passed alias 'FROMCREATEDATE' is not in the correct format (mmddyyyy)");
    expectRow(await cmd('TASK', 'GET', [['TODUEDATE', '13012012']]), TABLE[38], 14, "The value of the passed alias 'TODUEDATE' is not in the correct format (mmddyyyy)");
  });

  it("The value 'v' of the alias 'T' is not valid (enumerations, ids)", async () => {
    expectRow(await cmd('CASE', 'ADD', [['ACCOUNTNUM', '10000000'], ['SUBJECT', 's'], ['DESCRIPTION', 'd'], ['PRIORITY', 'Urgent']]), TABLE[39], 5, "The value 'Urgent' of the alias 'PRIORITY' is not valid");
    // A deactivated value is refused like an unknown one.
    expectRow(await cmd('CASE', 'MODIFY', [['CASENUM', '1'], ['STATUS', 'Escalated']]), TABLE[39], 5, "The value 'Escalated' of the alias 'STATUS' is not valid");
    expectRow(await cmd('CASE', 'ADD', [['ACCOUNTNUM', '42'], ['SUBJECT', 's'], ['DESCRIPTION', 'd']]), TABLE[39], 5, "The value '42' of the alias 'ACCOUNTNUM' is not valid");
    expectRow(await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'TRUE'], ['ADDR1COUNTRY', 'USA']]), TABLE[39], 5, "The value 'USA' of the alias 'ADDR1COUNTRY' is not valid");
    expectRow(await cmd('CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'maybe']]), TABLE[39], 5, "The value 'maybe' of the alias 'AUTOPASSWD' is not valid");
  });

  it("The value 'v' for the tag 'T' is not valid (agents; custom number and url fields)", async () => {
    expectRow(await cmd('CASE', 'GET', [['ASSIGNEDTO', 'nobody']]), TABLE[40], 5, "The value 'nobody' for the tag 'ASSIGNEDTO' is not valid");
    expectRow(await cmd('TASK', 'ADD', [['ACCOUNTNUM', '10000000'], ['CREATEDBY', 'Deleted  Agents']]), TABLE[40], 5, "The value 'Deleted  Agents' for the tag 'CREATEDBY' is not valid");
  });

  it("The value = 'v' of the tag 'T' is not valid (a picklist value that is not, or no longer, in the list)", async () => {
    expectRow(await cmd('CASE', 'MODIFY', [['CASENUM', '1'], ['CF01_PICKLIST.NAME', 'value9']]), TABLE[41], 5, "The value = 'value9' of the tag 'CF01_PICKLIST.NAME' is not valid");
    expectRow(await cmd('TASK', 'MODIFY', [['TASKNUM', '1'], ['TASK_PICKLIST', 'four']]), TABLE[41], 5, "The value = 'four' of the tag 'TASK_PICKLIST' is not valid");
  });

  it("XML string not correct. Error at line 'n': 'message'", async () => {
    const reply = await sendXml(emu.url, `<WAPI>\n${LOGIN}\n<COMMAND OBJECT="CUSTOMER" ACTION="GET">\n<FIRSTNAME>a</LASTNAME>\n</COMMAND></WAPI>`);
    expect(reply.errorStr).toMatch(/^XML string not correct\. Error at line '4': '.+'$/);
    expectRow(reply, TABLE[42], 1, reply.errorStr);
  });

  it('Internal Error: only when the server itself fails; here its database is broken under it, and it answers the rest', async () => {
    // Nothing a request can send causes it: it is the reply to an unexpected failure. To see
    // it, drop a table from under the running emulator through a second connection.
    const db = new Database(join(dir, 'crm.db'));
    db.exec('DROP TABLE faqcategory');
    db.close();
    const posted = await postRaw(emu.url, `xml_query=${encodeURIComponent(xml('<COMMAND OBJECT="FAQCATEGORY" ACTION="LIST"></COMMAND>'))}`);
    expect(posted.status).toBe(200);
    expectSelfClosingError(posted);
    expectRow(replyOf(posted), TABLE[10], 99, 'Internal Error');
    expect((await cmd('CUSTOMER', 'GET', [['ACCOUNTNUM', '10000000']])).items).toHaveLength(1);
  });

  it('every row of the table has been provoked', () => {
    expect(TABLE.filter((row) => !provoked.has(row))).toEqual([]);
  });
});

describe('login and rights (8x8 support pages, README "Protocol notes")', () => {
  it('303 Invalid login parameters: wrong tenant, user or password, or none', async () => {
    for (const credentials of [
      { ...CREDENTIALS, tenant: 'Other' },
      { ...CREDENTIALS, username: 'nobody' },
      { ...CREDENTIALS, password: 'JOHN123' },
    ]) {
      expectRejected(await send(emu.url, 'CUSTOMER', 'GET', [['ACCOUNTNUM', '10000000']], credentials), 303, 'Invalid login parameters.', '303');
    }
    expectRejected(await sendXml(emu.url, '<WAPI><COMMAND OBJECT="CUSTOMER" ACTION="GET"/></WAPI>'), 303, 'Invalid login parameters.', '303');
  });

  it('310 Operation Denied: the viewer user has Get rights only', async () => {
    expect((await send(emu.url, 'CUSTOMER', 'GET', [['ACCOUNTNUM', '10000000']], VIEWER)).items).toHaveLength(1);
    for (const [object, action, tags] of [
      ['CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'TRUE']]],
      ['CASE', 'MODIFY', [['CASENUM', '1'], ['SUBJECT', 'x']]],
      ['TASK', 'DELETE', [['TASKNUM', '1']]],
      ['FOLLOWUP', 'ADD', [['CASENUM', '1'], ['SUBJECT', 's'], ['DESCRIPTION', 'd']]],
      ['FAQCATEGORY', 'ADD', [['FAQCATEGORY', 'x']]],
    ] as const) {
      expectRejected(await send(emu.url, object, action, tags, VIEWER), 310, 'Operation Denied. Not enough permissions', '310');
    }
    // Nothing was changed by the refused commands.
    expect((await send(emu.url, 'TASK', 'GET', [['TASKNUM', '1']])).items).toHaveLength(1);
  });
});
