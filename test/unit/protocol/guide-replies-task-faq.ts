/**
 * Replies quoted in the vendor guide (8x8-crm-api.txt): the generic "Responses to Queries" shape,
 * Task, FAQ Category and FAQ. Same rules as guide-replies-customer.ts: the guide's text, repaired
 * only for PDF-extraction noise. Repaired throughout and not repeated per entry: curly quotes ->
 * straight quotes; `"1. 0"` -> `"1.0"` in the XML declaration; `<ITEM>...</ITEM>` placeholders
 * removed; the leading `-` a browser's XML view puts before an element it can fold (`-<WAPI>`,
 * `-<ITEM>`) removed.
 */
import type { GuideReply } from './guide-reply.js';

const DECL = '<?xml version="1.0" encoding="ISO-8859-1"?>';

const id = (tag: string, value: string, errorCode = '0'): Pick<GuideReply, 'status' | 'errorCode' | 'values' | 'id'> => ({
  status: '0',
  errorCode,
  values: { [tag]: value },
  id: [tag, value],
});

export const TASK_FAQ_REPLIES: GuideReply[] = [
  {
    name: '"Responses to Queries": the generic form, placeholders as printed, a space after `=`',
    repairs: [],
    xml: `<?xml version="1.0" encoding="ISO-8859-1"?>
<WAPI>

<REPLY STATUS= "error_code" ERROR_STR= "error_string">

<TAG> result_value</TAG>

</REPLY>

</WAPI>`,
    status: 'error_code',
    errorCode: '',
    errorStr: 'error_string',
    values: { TAG: ' result_value' },
  },
  {
    name: 'ADD task',
    repairs: ['`ERROR _STR` -> `ERROR_STR`'],
    xml: `${DECL}\n\n<WAPI>\n\n<REPLY STATUS="0" ERROR_STR="">\n\n<TASKNUM>100</TASKNUM>\n\n</REPLY>\n\n</WAPI>`,
    ...id('TASKNUM', '100', ''),
  },
  {
    name: 'MODIFY task',
    repairs: ['`ERROR _STR` -> `ERROR_STR`'],
    xml: `${DECL}\n\n<WAPI>\n\n<REPLY STATUS="0" ERROR_STR="">\n\n<TASKNUM>100</TASKNUM>\n\n</REPLY>\n\n</WAPI>`,
    ...id('TASKNUM', '100', ''),
  },
  {
    name: 'GET task without tags: the summary (ERROR_STR="0" as printed)',
    repairs: ['the page break cut the reply after `</ITEM>`: `</REPLY></WAPI>` added'],
    xml: `${DECL}

<WAPI>

<REPLY STATUS="0" ERROR_STR="0">

<ITEM> <FIRSTID>170</FIRSTID>

<LASTID>263</LASTID>

<TOTAL>79</TOTAL>

</ITEM>
</REPLY></WAPI>`,
    status: '0',
    errorCode: '',
    errorStr: '0',
    items: [{ FIRSTID: '170', LASTID: '263', TOTAL: '79' }],
    summary: { firstId: 170, lastId: 263, total: 79 },
  },
  {
    name: 'GET task: empty tags, lower-case custom and standard tags, timestamps',
    repairs: [],
    xml: `${DECL}

<WAPI>

<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">

<ITEM>

<TASKNUM>183</TASKNUM>

<SUBJECT>Follow-up with customer on pricing</SUBJECT>

<DESCRIPTION>Description for task</DESCRIPTION>

<CREATEDDATE>04062012 18:33:49</CREATEDDATE>

<DUEDATE>06092012 03:00:00</DUEDATE>

<REMINDER>N</REMINDER>

<PHONE/>

<LASTMODDATE>04092012 18:04:02</LASTMODDATE>
 <EMAIL>angel@8x8.com</EMAIL>

<TRANSID/>

<CALLDURATION>45</CALLDURATION>

<CAMPAIGNNAME/>

<task_text>some text</task_text>

<task_text_unique>some unique string 4724732827489324893274</task_text_unique>

<task_url>http://www.8x8.com</task_url>

<task_number>111444</task_number>

<task_number_unique>613293374</task_number_unique>

<task_date>04062012</task_date>

<task_picklist>three</task_picklist>

<task_status>New</task_status>

<media_type>Email</media_type>

<call_type/>

<ACCOUNTNUM>10000001</ACCOUNTNUM>

<ASSIGNEDTO>pma</ASSIGNEDTO>

<CREATEDBY>pma</CREATEDBY>

</ITEM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '0',
    items: [
      {
        TASKNUM: '183',
        SUBJECT: 'Follow-up with customer on pricing',
        DESCRIPTION: 'Description for task',
        CREATEDDATE: '04062012 18:33:49',
        DUEDATE: '06092012 03:00:00',
        REMINDER: 'N',
        PHONE: '',
        LASTMODDATE: '04092012 18:04:02',
        EMAIL: 'angel@8x8.com',
        TRANSID: '',
        CALLDURATION: '45',
        CAMPAIGNNAME: '',
        TASK_TEXT: 'some text',
        TASK_TEXT_UNIQUE: 'some unique string 4724732827489324893274',
        TASK_URL: 'http://www.8x8.com',
        TASK_NUMBER: '111444',
        TASK_NUMBER_UNIQUE: '613293374',
        TASK_DATE: '04062012',
        TASK_PICKLIST: 'three',
        TASK_STATUS: 'New',
        MEDIA_TYPE: 'Email',
        CALL_TYPE: '',
        ACCOUNTNUM: '10000001',
        ASSIGNEDTO: 'pma',
        CREATEDBY: 'pma',
      },
    ],
  },
  {
    name: 'ADD FAQ category',
    repairs: [],
    xml: `${DECL}\n\n<WAPI>\n\n<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">\n\n<FAQCATID>1</FAQCATID>\n\n</REPLY>\n\n</WAPI>`,
    ...id('FAQCATID', '1'),
  },
  {
    name: 'MODIFY FAQ category',
    repairs: [],
    xml: `${DECL}\n\n<WAPI>\n\n<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">\n\n<FAQCATID>1</FAQCATID>\n\n</REPLY>\n\n</WAPI>`,
    ...id('FAQCATID', '1'),
  },
  {
    name: 'GET FAQ category: several ITEMs, not in id order',
    repairs: ['the `-` after the REPLY start tag removed too'],
    xml: `${DECL}
 <WAPI><REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">

<ITEM><FAQCATID>2</FAQCATID><FAQCATEGORY>Safety</FAQCATEGORY></ITEM>

<ITEM><FAQCATID>3</FAQCATID><FAQCATEGORY>legalities</FAQCATEGORY></ITEM>

<ITEM><FAQCATID>1</FAQCATID><FAQCATEGORY>Services</FAQCATEGORY></ITEM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '0',
    items: [
      { FAQCATID: '2', FAQCATEGORY: 'Safety' },
      { FAQCATID: '3', FAQCATEGORY: 'legalities' },
      { FAQCATID: '1', FAQCATEGORY: 'Services' },
    ],
  },
  {
    name: 'DELETE FAQ category: an empty REPLY with a start and an end tag',
    repairs: [],
    xml: `${DECL}\n\n<WAPI>\n\n<REPLY ERROR_CODE="0" STATUS="0" ERROR_STR="">\n </REPLY>\n\n</WAPI>`,
    status: '0',
    errorCode: '0',
  },
  {
    name: 'ADD FAQ: an unknown STATUS_CODE attribute and no ERROR_CODE',
    repairs: ['`ERROR STR` -> `ERROR_STR`'],
    xml: `${DECL}\n\n<WAPI>\n\n<REPLY STATUS_CODE="0" ERROR_STR="" STATUS="0">\n\n<FAQID>1</FAQID>\n </REPLY>\n\n</WAPI>`,
    ...id('FAQID', '1', ''),
  },
  {
    name: 'MODIFY FAQ',
    repairs: [],
    xml: `${DECL}\n\n<WAPI>\n\n<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">\n\n<FAQID>1</FAQID>\n\n</REPLY>\n\n</WAPI>`,
    ...id('FAQID', '1'),
  },
  {
    name: 'GET FAQ: bytes above 0x7F read one character each (ISO-8859-1)',
    repairs: ['ANSWER wrapped over four lines joined with one space'],
    // "ï¿½" is how the guide prints the UTF-8 bytes of U+FFFD read as Latin-1; a Latin-1 client
    // must give back exactly those three characters, not guess at UTF-8.
    xml: `${DECL}

<WAPI>

<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">

<ITEM>

<FAQCATID>1</FAQCATID>

<FAQID>3</FAQID>

<QUESTION>What types of private jets are available for leasing?</QUESTION>

<ANSWER>Private jets are typically categorized into three different size classes \u00EF\u00BF\u00BD light jets, mid-sized jets and heavy jets. Light Jets can seat up to 4 passengers, mid-sized jets seat up to 8, while the heavy jets seat up to 12 passengers.</ANSWER>

<SHORTCUT>Jettype1</SHORTCUT>

<PRIVATE>Y</PRIVATE>

</ITEM></REPLY></WAPI>`,
    status: '0',
    errorCode: '0',
    items: [
      {
        FAQCATID: '1',
        FAQID: '3',
        QUESTION: 'What types of private jets are available for leasing?',
        ANSWER:
          'Private jets are typically categorized into three different size classes \u00EF\u00BF\u00BD light jets, mid-sized jets and heavy jets. Light Jets can seat up to 4 passengers, mid-sized jets seat up to 8, while the heavy jets seat up to 12 passengers.',
        SHORTCUT: 'Jettype1',
        PRIVATE: 'Y',
      },
    ],
  },
  {
    name: 'DELETE FAQ: self-closing, ERROR_CODE="O" (a letter) as printed',
    repairs: [],
    xml: `${DECL}\n <WAPI>\n\n<REPLY ERROR_CODE="O" ERROR_STR="" STATUS="0"/>\n\n</WAPI>`,
    status: '0',
    errorCode: 'O',
  },
];
