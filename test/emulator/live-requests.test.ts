/**
 * Issue "Real tenants": requests as live integrations send them. A lead-routing integration in
 * production writes pretty-printed XML, `&apos;`, `ACTION="Get"`, an empty tag for every value
 * it lacks, and adds tasks with MIDDLEWARE_URL; the Modify FAQ table takes PRIVATE in any case
 * (README, "Readings of the guide").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { add, caseTags, customerTags, emulator, expectOk, expectRejected, get, ok, send, sendXml } from './helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

const envelope = (command: string) => `<?xml version="1.0" encoding="UTF-8"?>
<WAPI>
    <TENANT>AcmeJets</TENANT>
    <USERNAME>johnd</USERNAME>
    <PASSWORD>john123</PASSWORD>
${command}
</WAPI>
`;

describe('a lead-routing integration in production', () => {
  // The emulator refused these ADDs: "The value '' of the alias 'ADDR1STR2' is not valid".
  it('pretty-printed XML, &apos;, an empty tag for every value it lacks, ACTION="Add" and "Get": read as meant', async () => {
    const added = await sendXml(
      emu.url,
      envelope(`    <COMMAND OBJECT="Customer" ACTION="Add">
        <FIRSTNAME>Siobhan</FIRSTNAME>
        <LASTNAME>O&apos;Brien</LASTNAME>
        <COMPANY></COMPANY>
        <EMAIL></EMAIL>
        <VOICE>+1 555 0100</VOICE>
        <ALTERNATIVE></ALTERNATIVE>
        <FAX></FAX>
        <COMMENTS></COMMENTS>
        <PASSWORD></PASSWORD>
        <AUTOPASSWD>TRUE</AUTOPASSWD>
        <ADDR1STR1>1 Main Street</ADDR1STR1>
        <ADDR1STR2></ADDR1STR2>
        <ADDR1CITY></ADDR1CITY>
        <ADDR1STATE></ADDR1STATE>
        <ADDR1ZIP></ADDR1ZIP>
        <ADDR1COUNTRY></ADDR1COUNTRY>
        <CUSTOMERTYPE></CUSTOMERTYPE>
        <LEGACY_ID></LEGACY_ID>
    </COMMAND>`),
    );
    expectOk(added);
    const account = added.items[0]!['ACCOUNTNUM']!;
    const found = await sendXml(emu.url, envelope(`    <COMMAND OBJECT="Customer" ACTION="Get">\n        <ACCOUNTNUM>${account}</ACCOUNTNUM>\n    </COMMAND>`));
    expect(found.items).toHaveLength(1);
    // Empty stays empty; a field with a default takes it, as when the tag is not sent at all.
    expect(found.items[0]).toMatchObject({
      LASTNAME: "O'Brien",
      COMPANY: '',
      EMAIL: '',
      ADDR1STR1: '1 Main Street',
      ADDR1STR2: '',
      ADDR1COUNTRY: 'United States',
      CUSTOMERTYPE: 'Default',
      AUTOPASSWD: 'TRUE',
      LEGACY_ID: '',
    });
    // AUTOPASSWD=TRUE with an empty PASSWORD is no "PASSWORD is also provided".
    expect(found.items[0]!['PASSWORD']).toMatch(/^\w+$/);
  });
});

describe('an empty tag means "no value"', () => {
  it('MODIFY: an empty optional tag keeps what the record holds, standard or custom', async () => {
    const account = await add(emu.url, 'CUSTOMER', customerTags([['EMAIL', 'keep@example.com'], ['COMPANY', 'Kept'], ['CF02.NAME', 'custom kept']]));
    await ok(emu.url, 'CUSTOMER', 'MODIFY', [['ACCOUNTNUM', account], ['EMAIL', ''], ['COMPANY', ''], ['CF02.NAME', ''], ['COMMENTS', 'changed']]);
    expect(await get(emu.url, 'CUSTOMER', [['ACCOUNTNUM', account]])).toMatchObject([{ EMAIL: 'keep@example.com', COMPANY: 'Kept', 'CF02.NAME': 'custom kept', COMMENTS: 'changed' }]);
  });

  it('MODIFY with nothing but empty tags changes nothing, LASTMODDATE included', async () => {
    const account = await add(emu.url, 'CUSTOMER', customerTags([['COMPANY', 'Still']]));
    const [before] = await get(emu.url, 'CUSTOMER', [['ACCOUNTNUM', account]]);
    await ok(emu.url, 'CUSTOMER', 'MODIFY', [['ACCOUNTNUM', account], ['COMPANY', ''], ['VOICE', '']]);
    expect(await get(emu.url, 'CUSTOMER', [['ACCOUNTNUM', account]])).toEqual([before]);
  });

  it.each<[string, string, Array<[string, string]>, string]>([
    ['CUSTOMER', 'ADD', [['FIRSTNAME', 'Ada'], ['LASTNAME', ''], ['AUTOPASSWD', 'TRUE']], 'LASTNAME'],
    ['CUSTOMER', 'MODIFY', [['ACCOUNTNUM', ''], ['COMPANY', 'x']], 'ACCOUNTNUM'],
    ['CASE', 'ADD', [['ACCOUNTNUM', '10000000'], ['SUBJECT', 's'], ['DESCRIPTION', '']], 'DESCRIPTION'],
    ['TASK', 'DELETE', [['TASKNUM', '']], 'TASKNUM'],
  ])('%s %s: an empty mandatory tag is the mandatory-tag error', async (object, action, tags, tag) => {
    expectRejected(await send(emu.url, object, action, tags), 6, `The mandatory tag '${tag}' is not passed or the value for this tag is not passed`);
  });

  it('AUTOPASSWD=FALSE with an empty PASSWORD is a missing password', async () => {
    expectRejected(await send(emu.url, 'CUSTOMER', 'ADD', [['FIRSTNAME', 'a'], ['LASTNAME', 'b'], ['AUTOPASSWD', 'FALSE'], ['PASSWORD', '']]), 6, "The ALIAS 'AUTOPASSWD' is FALSE, but ALIAS 'PASSWORD' is not provided");
  });

  it('a tag the object does not have is refused even when empty; so is a deleted custom field', async () => {
    expectRejected(await send(emu.url, 'CUSTOMER', 'ADD', customerTags([['LEAD_SOURCE', '']])), 16, "The tag 'LEAD_SOURCE' is not a valid tag for the 'ADD' on the 'CUSTOMER'");
    expectRejected(await send(emu.url, 'CUSTOMER', 'ADD', customerTags([['OLD_NOTES', '']])), 15, "The STATUS of the tag 'OLD_NOTES' is 'DEL'. No action allowed on this tag");
    expectRejected(await send(emu.url, 'CUSTOMER', 'ADD', customerTags([['EMAIL', ''], ['EMAIL', 'x@example.com']])), 11, "Duplicate Tag 'EMAIL'");
  });

  it('a task: an empty ASSIGNEDTO takes the API user on ADD and keeps the assignee on MODIFY', async () => {
    const account = await add(emu.url, 'CUSTOMER', customerTags());
    const tasknum = await add(emu.url, 'TASK', [['ACCOUNTNUM', account], ['ASSIGNEDTO', ''], ['DUEDATE', '']]);
    expect(await get(emu.url, 'TASK', [['TASKNUM', tasknum]])).toMatchObject([{ ASSIGNEDTO: 'johnd', DUEDATE: '' }]);
    await ok(emu.url, 'TASK', 'MODIFY', [['TASKNUM', tasknum], ['ASSIGNEDTO', 'bobp']]);
    await ok(emu.url, 'TASK', 'MODIFY', [['TASKNUM', tasknum], ['ASSIGNEDTO', ''], ['SUBJECT', 'kept assignee']]);
    expect(await get(emu.url, 'TASK', [['TASKNUM', tasknum]])).toMatchObject([{ ASSIGNEDTO: 'bobp', SUBJECT: 'kept assignee' }]);
  });

  it('a case: an empty ASSIGNEDTO keeps its documented meaning, "no assignee" (the guide has an error for it)', async () => {
    const account = await add(emu.url, 'CUSTOMER', customerTags());
    const casenum = await add(emu.url, 'CASE', caseTags(account, [['STATUS', 'Open'], ['ASSIGNEDTO', 'bobp']]));
    expectRejected(await send(emu.url, 'CASE', 'MODIFY', [['CASENUM', casenum], ['ASSIGNEDTO', '']]), 13, "TAGS Incompatible. ASSIGNEDTO passed but no STATUS is passed. By default STATUS value is label with USABILITY ='UNA'");
    expectRejected(await send(emu.url, 'CASE', 'MODIFY', [['CASENUM', casenum], ['STATUS', 'Pending'], ['ASSIGNEDTO', '']]), 13, 'TAGS Incompatible. EMPTY ASSIGNEDTO passed with STATUS = OPEN');
    await ok(emu.url, 'CASE', 'MODIFY', [['CASENUM', casenum], ['STATUS', 'Unassigned'], ['ASSIGNEDTO', ''], ['PRIORITY', '']]);
    expect(await get(emu.url, 'CASE', [['CASENUM', casenum]])).toMatchObject([{ STATUS: 'Unassigned', ASSIGNEDTO: '', PRIORITY: 'Medium' }]);
  });

  it('GET: an empty tag is refused, never dropped (that would widen the search to every record)', async () => {
    await add(emu.url, 'CUSTOMER', customerTags());
    expectRejected(await send(emu.url, 'CUSTOMER', 'GET', [['EMAIL', '']]), 5, "The value '' of the alias 'EMAIL' is not valid");
    expectRejected(await send(emu.url, 'CUSTOMER', 'GET', [['LASTNAME', 'Lovelace'], ['COMPANY', '']]), 5, "The value '' of the alias 'COMPANY' is not valid");
  });
});

describe('task MIDDLEWARE_URL (live tenants take it)', () => {
  it('ADD and MODIFY take it, GET returns it; whitespace-only is refused like other text', async () => {
    const account = await add(emu.url, 'CUSTOMER', customerTags());
    const url = 'https://leads.example.com/lead/123?src=web&utm=a';
    const tasknum = await add(emu.url, 'TASK', [['ACCOUNTNUM', account], ['SUBJECT', 'New lead'], ['MIDDLEWARE_URL', url]]);
    expect(await get(emu.url, 'TASK', [['TASKNUM', tasknum]])).toMatchObject([{ MIDDLEWARE_URL: url }]);
    await ok(emu.url, 'TASK', 'MODIFY', [['TASKNUM', tasknum], ['MIDDLEWARE_URL', 'https://leads.example.com/lead/124']]);
    expect(await get(emu.url, 'TASK', [['TASKNUM', tasknum]])).toMatchObject([{ MIDDLEWARE_URL: 'https://leads.example.com/lead/124' }]);
    await ok(emu.url, 'TASK', 'MODIFY', [['TASKNUM', tasknum], ['MIDDLEWARE_URL', '']]);
    expect(await get(emu.url, 'TASK', [['TASKNUM', tasknum]])).toMatchObject([{ MIDDLEWARE_URL: 'https://leads.example.com/lead/124' }]);
    expectRejected(await send(emu.url, 'TASK', 'MODIFY', [['TASKNUM', tasknum], ['MIDDLEWARE_URL', '   ']]), 2, "The passed value '   ' of the alias 'MIDDLEWARE_URL' doesn't meet the specified criterion");
    const bare = await add(emu.url, 'TASK', [['ACCOUNTNUM', account]]);
    expect(await get(emu.url, 'TASK', [['TASKNUM', bare]])).toMatchObject([{ MIDDLEWARE_URL: '' }]);
  });

  it('it is a task field only, and no GET filter; every other tag the guide does not list is still "not a valid tag"', async () => {
    const account = await add(emu.url, 'CUSTOMER', customerTags());
    expectRejected(await send(emu.url, 'TASK', 'GET', [['MIDDLEWARE_URL', 'x']]), 16, "The tag 'MIDDLEWARE_URL' is not a valid tag for the 'GET' on the 'TASK'");
    expectRejected(await send(emu.url, 'CASE', 'ADD', caseTags(account, [['MIDDLEWARE_URL', 'https://x']])), 16, "The tag 'MIDDLEWARE_URL' is not a valid tag for the 'ADD' on the 'CASE'");
    expectRejected(await send(emu.url, 'TASK', 'ADD', [['ACCOUNTNUM', account], ['LEAD_SOURCE', 'web']]), 16, "The tag 'LEAD_SOURCE' is not a valid tag for the 'ADD' on the 'TASK'");
    expectRejected(await send(emu.url, 'CUSTOMER', 'ADD', customerTags([['PBX', '']])), 16, "The tag 'PBX' is not a valid tag for the 'ADD' on the 'CUSTOMER'");
  });
});

describe('FAQ PRIVATE on MODIFY is read in any case', () => {
  // `n` on MODIFY was refused: the Modify FAQ table says "Values are not case-sensitive".
  it('MODIFY takes y and n; ADD (case-sensitive in its table) and FAQ categories still take Y and N only', async () => {
    const faqcat = await add(emu.url, 'FAQCATEGORY', [['FAQCATEGORY', 'Private']]);
    const faq = await add(emu.url, 'FAQ', [['FAQCATID', faqcat], ['QUESTION', 'q'], ['ANSWER', 'a'], ['PRIVATE', 'Y']]);
    await ok(emu.url, 'FAQ', 'MODIFY', [['FAQID', faq], ['PRIVATE', 'n']]);
    expect(await get(emu.url, 'FAQ', [['FAQCATID', faqcat]])).toMatchObject([{ PRIVATE: 'N' }]);
    await ok(emu.url, 'FAQ', 'MODIFY', [['FAQID', faq], ['PRIVATE', 'y']]);
    expect(await get(emu.url, 'FAQ', [['FAQCATID', faqcat]])).toMatchObject([{ PRIVATE: 'Y' }]);
    expectRejected(await send(emu.url, 'FAQ', 'MODIFY', [['FAQID', faq], ['PRIVATE', 'yes']]), 5, "The value 'yes' of the alias 'PRIVATE' is not valid");
    expectRejected(await send(emu.url, 'FAQ', 'ADD', [['FAQCATID', faqcat], ['QUESTION', 'q'], ['ANSWER', 'a'], ['PRIVATE', 'n']]), 5, "The value 'n' of the alias 'PRIVATE' is not valid");
    expectRejected(await send(emu.url, 'FAQCATEGORY', 'MODIFY', [['FAQCATID', faqcat], ['FAQCATEGORY', 'Private'], ['PRIVATE', 'n']]), 5, "The value 'n' of the alias 'PRIVATE' is not valid");
  });
});
