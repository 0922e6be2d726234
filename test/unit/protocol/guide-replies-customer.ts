/**
 * Replies quoted in the vendor guide (8x8-crm-api.txt), Customer section. Each is the guide's
 * text, repaired only for PDF-extraction noise; `repairs` says what was changed. Blank lines
 * and stray spaces between tags are kept (the server may send whitespace between tags). A reply
 * body is ISO-8859-1, so a character outside Latin-1 in the guide's text is written as the server
 * writes it, a numeric character reference.
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


export const CUSTOMER_REPLIES: GuideReply[] = [
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
];
