/**
 * Replies quoted in the vendor guide (8x8-crm-api.txt), object sections: Customer, Case,
 * Follow-up, Task. Each is the guide's text, repaired only for PDF-extraction noise; `repairs`
 * says what was changed. Blank lines and stray spaces between tags are kept (the server may
 * send whitespace between tags). A reply body is ISO-8859-1, so a character outside Latin-1 in
 * the guide's text is written as the server writes it, a numeric character reference.
 *
 * Noise repaired throughout, and said once here rather than in every entry:
 * - curly quotes (” “ ‘ ’) around attribute values and in the XML declaration -> straight quotes;
 * - `version="1. 0"` / `"1 . 0"` in the XML declaration -> `"1.0"`;
 * - `<ITEM>...</ITEM>` / `<ITEM>…</ITEM>` placeholders for "more records" removed.
 */
import type { GuideReply } from './guide-reply.js';

const DECL = '<?xml version="1.0" encoding="ISO-8859-1"?>';

const BILL = {
  FIRSTNAME: 'Bill',
  LASTNAME: 'Gates',
  EMAIL: 'bill.gates@microsoft.com',
  COMPANY: 'Microsoft',
  VOICE: '123 456 7890',
  ALTERNATIVE: '789 123 4560',
  FAX: '456 123 7890',
  COMMENTS: 'Very important customer',
  PASSWORD: 'bill123',
  ADDR1STR1: '1234 John Fitzgerald',
  ADDR1STR2: 'Kennedy Boulevard',
  ADDR1CITY: 'Los Angeles',
  ADDR1STATE: 'CA',
  ADDR1ZIP: '12345',
  ADDR1COUNTRY: 'United States',
  ADDR2STR1: '456 Martin Luther',
  ADDR2STR2: 'King Boulevard',
  ADDR2CITY: 'San Francisco',
  ADDR2STATE: 'CA',
  ADDR2ZIP: '67890',
  ADDR2COUNTRY: 'United States',
  ACCOUNTNUM: '123456',
};

const DESCRIPTION = 'This customer downloaded the new driver XXXX v5.4 of the driver, installed it and since then the printer doesn';

export const OBJECT_REPLIES: GuideReply[] = [
  {
    name: 'GET customer, "Examples of Queries and Responses" (STATUS=0 unquoted)',
    repairs: [
      '`<ADDR2 STATE>CA< /ADDR2 STATE>` -> `<ADDR2STATE>CA</ADDR2STATE>`; `< /ACCOUNTNUM>` -> `</ACCOUNTNUM>`',
      'ALTERNATIVE value wrapped over two lines by the PDF joined with one space',
    ],
    xml: `${DECL}

<WAPI>

<REPLY STATUS=0 ERROR_STR="">

<ITEM>

<FIRSTNAME>Bill</FIRSTNAME>

<LASTNAME>Gates</LASTNAME>

<EMAIL>bill.gates@microsoft.com</EMAIL>

<CUSTOMERTYPE>NT User</CUSTOMERTYPE>

<COMPANY>Microsoft</COMPANY> <VOICE>123 456 7890</VOICE> <ALTERNATIVE>789 123 4560</ALTERNATIVE>

<FAX>456 123 7890</FAX>
 <COMMENTS>Very important customer</COMMENTS>

<PASSWORD>bill123</PASSWORD>

<AUTOPASSWD>False</AUTOPASSWD>

<ADDR1STR1>1234 John Fitzgerald</ADDR1STR1>

<ADDR1STR2>Kennedy Boulevard</ADDR1STR2>

<ADDR1CITY>Los Angeles</ADDR1CITY>

<ADDR1STATE>CA</ADDR1STATE> <ADDR1ZIP>12345</ADDR1ZIP>

<ADDR1COUNTRY>United States</ADDR1COUNTRY>

<ADDR2STR1>456 Martin Luther</ADDR2STR1>

<ADDR2STR2>King Boulevard</ADDR2STR2>

<ADDR2CITY>San Francisco</ADDR2CITY>

<ADDR2STATE>CA</ADDR2STATE> <ADDR2ZIP>67890</ADDR2ZIP>

<ADDR2COUNTRY>United States</ADDR2COUNTRY>

<ACCOUNTNUM>123456</ACCOUNTNUM>

</ITEM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '',
    items: [{ ...BILL, CUSTOMERTYPE: 'NT User', AUTOPASSWD: 'False' }],
  },
  {
    name: 'ADD customer: the id inside ITEM',
    repairs: [],
    xml: `${DECL}

<WAPI>

<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">
 <ITEM>

<ACCOUNTNUM>1453</ACCOUNTNUM>

</ITEM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '0',
    items: [{ ACCOUNTNUM: '1453' }],
    id: ['ACCOUNTNUM', '1453'],
  },
  {
    name: 'MODIFY customer: the id directly under REPLY',
    repairs: ['`ERROR_CODESTATUS=”0”` -> `ERROR_CODE="0" STATUS="0"` (the extraction lost `="0" ` between the two names)'],
    xml: `${DECL}

<WAPI>

<REPLY ERROR_CODE="0" STATUS="0" ERROR_STR="">

<ACCOUNTNUM>1453</ACCOUNTNUM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '0',
    values: { ACCOUNTNUM: '1453' },
    id: ['ACCOUNTNUM', '1453'],
  },
  {
    name: 'GET customer without tags: the FIRSTID/LASTID/TOTAL summary',
    repairs: [],
    xml: `${DECL}

<WAPI>

<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0" >

<ITEM>

<FIRSTID>10000000</FIRSTID>

<LASTID>10000083</LASTID>
 <TOTAL>81</TOTAL>

</ITEM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '0',
    items: [{ FIRSTID: '10000000', LASTID: '10000083', TOTAL: '81' }],
    summary: { firstId: 10000000, lastId: 10000083, total: 81 },
  },
  {
    name: 'GET customer details with custom fields',
    repairs: [
      '`ERROR _STR` -> `ERROR_STR`; `<ADDR1 STATE>`/`<ADDR2 STATE>` -> `<ADDR1STATE>`/`<ADDR2STATE>`; `< /` -> `</`',
      'spaces the extraction put inside values removed: "Bi l l", "bill . gates@microsoft. com", "Micro soft", "4 56", "678 90", " 123456"',
      'values wrapped over two lines (ALTERNATIVE, ADDR1STR2, ADDR1COUNTRY, ADDR2COUNTRY) joined with one space',
      'the `...` standing for more fields inside the ITEM removed',
    ],
    xml: `${DECL}

<WAPI>

<REPLY STATUS=0 ERROR_STR=""> <ITEM>

<FIRSTNAME>Bill</FIRSTNAME> <LASTNAME>Gates</LASTNAME>

<EMAIL>bill.gates@microsoft.com</EMAIL>

<COMPANY>Microsoft</COMPANY> <VOICE>123 456 7890</VOICE> <ALTERNATIVE>789 123 4560</ALTERNATIVE>

<FAX>456 123 7890</FAX>

<COMMENTS>Very important customer</COMMENTS> <PASSWORD>bill123</PASSWORD>

<ADDR1STR1>1234 John Fitzgerald</ADDR1STR1> <ADDR1STR2>Kennedy Boulevard</ADDR1STR2>

<ADDR1CITY>Los Angeles</ADDR1CITY>

<ADDR1STATE>CA</ADDR1STATE> <ADDR1ZIP>12345</ADDR1ZIP> <ADDR1COUNTRY>United States</ADDR1COUNTRY>

<ADDR2STR1>456 Martin Luther</ADDR2STR1>

<ADDR2STR2>King Boulevard</ADDR2STR2>

<ADDR2CITY>San Francisco</ADDR2CITY>

<ADDR2STATE>CA</ADDR2STATE> <ADDR2ZIP>67890</ADDR2ZIP> <ADDR2COUNTRY>United States</ADDR2COUNTRY>
 <ACCOUNTNUM>123456</ACCOUNTNUM> <CUSTOMERTYPE>NT user</CUSTOMERTYPE>

<CF01_PICKLIST.NAME>value1</CF01_PICKLIST.NAME>

<CF02.NAME>value2</CF02.NAME>

</ITEM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '',
    items: [{ ...BILL, CUSTOMERTYPE: 'NT user', 'CF01_PICKLIST.NAME': 'value1', 'CF02.NAME': 'value2' }],
  },
  {
    name: 'DELETE customer, case, follow-up and task (the guide prints the same text four times): a self-closing REPLY',
    repairs: [],
    xml: `${DECL}

<WAPI>

<REPLY STATUS="0" ERROR_STR="" ERROR_CODE="0"/>

</WAPI>`,
    status: '0',
    errorCode: '0',
  },
  {
    name: 'ADD case: CASENUM directly under REPLY, no ERROR_CODE',
    repairs: ['`ERROR _STR` -> `ERROR_STR`'],
    xml: `${DECL}

<WAPI>

<REPLY STATUS="0" ERROR_STR="">

<CASENUM>67890</CASENUM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '',
    values: { CASENUM: '67890' },
    id: ['CASENUM', '67890'],
  },
  {
    name: 'MODIFY case',
    repairs: ['`ERROR _STR` -> `ERROR_STR`'],
    xml: `${DECL}

<WAPI>

<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">

<CASENUM>67890</CASENUM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '0',
    values: { CASENUM: '67890' },
    id: ['CASENUM', '67890'],
  },
  {
    name: 'GET case without tags: the summary',
    repairs: ['`ERROR _STR` -> `ERROR_STR`; `<FIRST ID>` -> `<FIRSTID>`'],
    xml: `${DECL}

<WAPI>
 <REPLY STATUS="0" ERROR_STR="">

<ITEM>

<FIRSTID>1001</FIRSTID> <LASTID>70030</LASTID>

<TOTAL>90</TOTAL>

</ITEM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '',
    items: [{ FIRSTID: '1001', LASTID: '70030', TOTAL: '90' }],
    summary: { firstId: 1001, lastId: 70030, total: 90 },
  },
  {
    name: 'GET case with custom fields',
    repairs: [
      '`<PRIORI TY>` -> `<PRIORITY>`; `< /CLOSEDDATE>`, `< /CF01_PICKLIST.NAME>` -> `</...>`',
      '`0 215200 0` -> `02152000` (spaces inside a date)',
      'DESCRIPTION wrapped over two lines joined with one space',
      'the typographic apostrophe ’ (U+2019, outside Latin-1) written as &#8217;, as the server sends it',
    ],
    xml: `${DECL}

<WAPI>

<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">

<ITEM>

<ACCOUNTNUM>123456</ACCOUNTNUM>

<CASENUM>67890</CASENUM>

<SUBJECT>My printer doesn&#8217;t work</SUBJECT>

<DESCRIPTION>This customer downloaded the new driver XXXX v5.4 of the driver, installed it and since then the printer doesn&#8217;t work.</DESCRIPTION>

<STATUS>Closed</STATUS>

<PRIORITY>High</PRIORITY>

<SEVERITY>Information</SEVERITY>

<CATEGORY>Default</CATEGORY>

<PROJECT>Default</PROJECT>

<VISIBILITY>Private</VISIBILITY>

<MEDIATYPE>Phone</MEDIATYPE>

<ASSIGNEDTO>jsmith</ASSIGNEDTO>

<ASSIGNEDDATE>01122010</ASSIGNEDDATE>

<CREATEDBY>bpower</CREATEDBY>

<CREATEDDATE>02152000</CREATEDDATE>

<CLOSEDBY>bpower</CLOSEDBY>
 <CLOSEDDATE>01232000</CLOSEDDATE>

<LASTACTDATE>01232000</LASTACTDATE>

<CF01_PICKLIST.NAME>value1</CF01_PICKLIST.NAME>

<CF02.NAME>value2</CF02.NAME>

</ITEM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '0',
    items: [
      {
        ACCOUNTNUM: '123456',
        CASENUM: '67890',
        SUBJECT: 'My printer doesn\u2019t work',
        DESCRIPTION: `${DESCRIPTION}\u2019t work.`,
        STATUS: 'Closed',
        PRIORITY: 'High',
        SEVERITY: 'Information',
        CATEGORY: 'Default',
        PROJECT: 'Default',
        VISIBILITY: 'Private',
        MEDIATYPE: 'Phone',
        ASSIGNEDTO: 'jsmith',
        ASSIGNEDDATE: '01122010',
        CREATEDBY: 'bpower',
        CREATEDDATE: '02152000',
        CLOSEDBY: 'bpower',
        CLOSEDDATE: '01232000',
        LASTACTDATE: '01232000',
        'CF01_PICKLIST.NAME': 'value1',
        'CF02.NAME': 'value2',
      },
    ],
  },
  {
    name: 'ADD follow-up',
    repairs: ['`REPLY ERROR_CODE=...` lost its `<` in the extraction'],
    xml: `${DECL}

<WAPI>

<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">

<FOLLOWUPNUM>11</FOLLOWUPNUM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '0',
    values: { FOLLOWUPNUM: '11' },
    id: ['FOLLOWUPNUM', '11'],
  },
  {
    name: 'GET follow-up: lower-case tag names, a timestamp kept verbatim',
    repairs: [
      'the leading `-` of a browser\'s XML view before `<WAPI>`, `<REPLY>` and `<ITEM>` removed',
      'DESCRIPTION wrapped over two lines joined with one space',
    ],
    xml: `${DECL}

<WAPI>

<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">

<ITEM><CASENUM>35</CASENUM>

<FOLLOWUPNUM>3</FOLLOWUPNUM>

<SUBJECT>Order Received - Issue Resolved</SUBJECT>

<CREATEDDATE>0503201212:26:59</CREATEDDATE>

<ATTACHMENTS>0</ATTACHMENTS>

<FOLLOWUPID>5</FOLLOWUPID>

<CREATEDBY>jsmith</CREATEDBY>

<status>Open</status>

<priority>Medium</priority>

<severity>Information</severity>

<category>Default</category>

<project>Default</project>

<mediatype>Voice</mediatype>

<visibility>Internal</visibility>

<DESCRIPTION>This customer downloaded the new driver XXXX v5.4 of the driver, installed it and since then the printer doesn't work.</DESCRIPTION>

</ITEM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '0',
    items: [
      {
        CASENUM: '35',
        FOLLOWUPNUM: '3',
        SUBJECT: 'Order Received - Issue Resolved',
        // The guide prints no space between date and time; the parser does not interpret dates.
        CREATEDDATE: '0503201212:26:59',
        ATTACHMENTS: '0',
        FOLLOWUPID: '5',
        CREATEDBY: 'jsmith',
        STATUS: 'Open',
        PRIORITY: 'Medium',
        SEVERITY: 'Information',
        CATEGORY: 'Default',
        PROJECT: 'Default',
        MEDIATYPE: 'Voice',
        VISIBILITY: 'Internal',
        DESCRIPTION: `${DESCRIPTION}'t work.`,
      },
    ],
  },
];
