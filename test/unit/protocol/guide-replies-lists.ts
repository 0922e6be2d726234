/**
 * Replies quoted in the vendor guide (8x8-crm-api.txt): Custom Field, and LIST of COUNTRY, GROUPS,
 * AGENTS and FAQCATEGORY. Same rules and the same repairs throughout as guide-replies-task-faq.ts.
 */
import type { GuideReply } from './guide-reply.js';

const DECL = '<?xml version="1.0" encoding="ISO-8859-1"?>';

export const LIST_REPLIES: GuideReply[] = [
  {
    name: 'GET CUSTOMFIELD: picklist VALUEs',
    repairs: [],
    xml: `${DECL}

<WAPI><REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">

<ITEM><VALUE>No Solicitation</VALUE></ITEM>

<ITEM><VALUE>Unknown</VALUE></ITEM>

<ITEM><VALUE>Neutral</VALUE></ITEM>

</REPLY></WAPI>`,
    status: '0',
    errorCode: '0',
    items: [{ VALUE: 'No Solicitation' }, { VALUE: 'Unknown' }, { VALUE: 'Neutral' }],
  },
  {
    name: 'MODIFY customer custom field values: the id inside ITEM, no ERROR_CODE',
    repairs: [],
    xml: `${DECL}\n\n<WAPI>\n\n<REPLY STATUS="0" ERROR_STR="">\n\n<ITEM>\n\n<ACCOUNTNUM>100019</ACCOUNTNUM>\n\n</ITEM>\n\n</REPLY>\n\n</WAPI>`,
    status: '0',
    errorCode: '',
    items: [{ ACCOUNTNUM: '100019' }],
    id: ['ACCOUNTNUM', '100019'],
  },
  {
    name: 'LIST COUNTRY',
    repairs: ['the page\'s running header "List Attribute Values" inside the third ITEM removed'],
    xml: `${DECL}

<WAPI>

<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">

<ITEM>

<COUNTRY>Afghanistan</COUNTRY>

</ITEM> <ITEM>

<COUNTRY>Albania</COUNTRY>

</ITEM> <ITEM>

<COUNTRY>Algeria</COUNTRY>

 </ITEM> </REPLY> </WAPI>`,
    status: '0',
    errorCode: '0',
    items: [{ COUNTRY: 'Afghanistan' }, { COUNTRY: 'Albania' }, { COUNTRY: 'Algeria' }],
  },
  {
    name: 'LIST GROUPS (the guide prints agent rows here)',
    repairs: [
      'the page\'s running header and page number ("List Tenant Configuration Attributes", "95") removed',
      '`</AGENT ID>` -> `</AGENTID>`; `< /AGENT>` -> `</AGENT>`',
    ],
    xml: `${DECL}

<WAPI>

<REPLY STATUS="0" ERROR_STR="">

<ITEM> <AGENTID>bobp</AGENTID>

<AGENT>bob power</AGENT>

</ITEM>

<ITEM>

<AGENTID>johnd</AGENTID>

<AGENT>john doe</AGENT>

</ITEM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '',
    items: [
      { AGENTID: 'bobp', AGENT: 'bob power' },
      { AGENTID: 'johnd', AGENT: 'john doe' },
    ],
  },
  {
    name: 'LIST AGENTS',
    repairs: ['`</AGENT ID>` -> `</AGENTID>`'],
    xml: `${DECL}

<WAPI>

<REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">

<ITEM>

<AGENTID>bobp</AGENTID>

<AGENT>bob power</AGENT>

</ITEM>

<ITEM>

<AGENTID>johnd</AGENTID>

<AGENT>john doe</AGENT>

</ITEM>

</REPLY>

</WAPI>`,
    status: '0',
    errorCode: '0',
    items: [
      { AGENTID: 'bobp', AGENT: 'bob power' },
      { AGENTID: 'johnd', AGENT: 'john doe' },
    ],
  },
  {
    name: 'LIST FAQCATEGORY',
    repairs: ['`FAQCATID>1` lost its `<`; `</ITEM><` + newline + `/REPLY>` -> `</ITEM></REPLY>`'],
    xml: `${DECL}

<WAPI><REPLY ERROR_CODE="0" ERROR_STR="" STATUS="0">

<ITEM><FAQCATID>2</FAQCATID>

<FAQCATEGORY>Safety</FAQCATEGORY>

</ITEM>

<ITEM><FAQCATID>4</FAQCATID>

<FAQCATEGORY>legal</FAQCATEGORY></ITEM>

<ITEM>

<FAQCATID>1</FAQCATID>

<FAQCATEGORY>Services</FAQCATEGORY>

</ITEM></REPLY>

</WAPI>`,
    status: '0',
    errorCode: '0',
    items: [
      { FAQCATID: '2', FAQCATEGORY: 'Safety' },
      { FAQCATID: '4', FAQCATEGORY: 'legal' },
      { FAQCATID: '1', FAQCATEGORY: 'Services' },
    ],
  },
];
