/**
 * Replies quoted in the vendor guide (8x8-crm-api.txt), Case and Follow-up sections. Same rules
 * as guide-replies-customer.ts: the guide's text, repaired only for PDF-extraction noise.
 *
 * Noise repaired throughout, and said once here rather than in every entry:
 * - curly quotes (” “ ‘ ’) around attribute values and in the XML declaration -> straight quotes;
 * - `version="1. 0"` / `"1 . 0"` in the XML declaration -> `"1.0"`;
 * - `<ITEM>...</ITEM>` / `<ITEM>…</ITEM>` placeholders for "more records" removed.
 */
import type { GuideReply } from './guide-reply.js';

const DECL = '<?xml version="1.0" encoding="ISO-8859-1"?>';

const DESCRIPTION = 'This customer downloaded the new driver XXXX v5.4 of the driver, installed it and since then the printer doesn';

export const CASE_FOLLOWUP_REPLIES: GuideReply[] = [
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
