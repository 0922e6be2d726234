import type { Fixtures } from '../../src/emulator/index.js';

/**
 * Records carrying the ids the guide's examples use (customer 1453 and 10000019, case 67890 and
 * 35, task 100 and 183, FAQ category 1 to 4, FAQ 45...), so that the examples can be sent
 * exactly as written instead of with ids swapped in. Values are chosen so that the GET examples
 * find something (and, where the guide's value cannot match case-sensitively, so that they show
 * it does not).
 */
export const GUIDE_FIXTURES: Fixtures = {
  customers: [
    {
      ACCOUNTNUM: 1453,
      FIRSTNAME: 'Bill',
      LASTNAME: 'Gates',
      EMAIL: 'bill.gates@microsoft.com',
      COMPANY: 'Microsoft',
      CUSTOMERTYPE: 'NT User',
      AUTOPASSWD: 'FALSE',
      PASSWORD: 'bill123',
      'CF01_PICKLIST.NAME': 'value1',
      'CF02.NAME': 'value2',
      CREATEDDATE: '2012-05-01T10:00:00',
    },
    { ACCOUNTNUM: 10000001, FIRSTNAME: 'Angel', LASTNAME: 'Pma', EMAIL: 'angel@8x8.com', AUTOPASSWD: 'TRUE' },
    {
      ACCOUNTNUM: 10000019,
      FIRSTNAME: 'Bill',
      LASTNAME: 'gates',
      EMAIL: 'bill@microsoft.com',
      COMPANY: 'microsoft',
      CUSTOMERTYPE: 'Default',
      AUTOPASSWD: 'TRUE',
      CREATEDDATE: '2012-06-22T09:00:00',
      LASTMODDATE: '2012-06-23T09:00:00',
    },
    { ACCOUNTNUM: 10000045, FIRSTNAME: 'Grace', LASTNAME: 'Hopper', EMAIL: 'grace@navy.mil', COMPANY: 'US Navy', AUTOPASSWD: 'TRUE' },
  ],
  cases: [
    { CASENUM: 12, ACCOUNTNUM: 1453, SUBJECT: 'Billing', DESCRIPTION: 'Invoice', STATUS: 'Open', ASSIGNEDTO: 'rshasta', CATEGORY: 'Platinum', CREATEDBY: 'jsmith', LASTMODDATE: '2012-06-24T09:00:00' },
    // Created by a customer: CREATEDBY empty ("When cases are created by customers, the CREATEDBY tag is returned empty").
    { CASENUM: 13, ACCOUNTNUM: 1453, SUBJECT: 'Web form', DESCRIPTION: 'From the portal', STATUS: 'Open', ASSIGNEDTO: '101', CREATEDBY: '' },
    { CASENUM: 14, ACCOUNTNUM: 1453, SUBJECT: 'Old', DESCRIPTION: 'By a gone agent', STATUS: 'Open', ASSIGNEDTO: 'oldagent', CREATEDBY: 'oldagent' },
    { CASENUM: 15, ACCOUNTNUM: 1453, SUBJECT: 'Legacy', DESCRIPTION: 'For a gone group', STATUS: 'Open', ASSIGNEDTO: '103', CREATEDBY: 'sbaker' },
    { CASENUM: 16, ACCOUNTNUM: 1453, SUBJECT: 'pump', DESCRIPTION: 'December', STATUS: 'Closed', CREATEDBY: 'jdoe', CREATEDDATE: '2001-12-07T08:00:00' },
    { CASENUM: 17, ACCOUNTNUM: 1453, SUBJECT: 'Orphan', DESCRIPTION: 'Its agent left', STATUS: 'Open', ASSIGNEDTO: 'oldagent', CREATEDBY: 'jdoe' },
    { CASENUM: 35, ACCOUNTNUM: 1453, SUBJECT: 'printer jam', DESCRIPTION: 'Paper stuck', STATUS: 'Open', ASSIGNEDTO: 'jsmith', CATEGORY: 'Gold', CREATEDBY: 'jdoe' },
    {
      CASENUM: 67890,
      ACCOUNTNUM: 10000019,
      SUBJECT: 'My printer doesn\'t work',
      DESCRIPTION: 'This customer downloaded the new driver',
      STATUS: 'Unassigned',
      PRIORITY: 'Medium',
      'CF01_PICKLIST.NAME': 'value1',
      CREATEDBY: 'jsmith',
      CREATEDDATE: '2012-06-21T09:00:00',
      LASTMODDATE: '2012-06-22T09:00:00',
    },
  ],
  followups: [
    { CASENUM: 35, FOLLOWUPNUM: 3, FOLLOWUPID: 5, SUBJECT: 'Order Received - Issue Resolved', DESCRIPTION: 'Resolved', CREATEDBY: 'jsmith', CREATEDDATE: '2012-05-03T12:26:59' },
    { CASENUM: 67890, FOLLOWUPNUM: 1, SUBJECT: 'Called back', DESCRIPTION: 'No answer', CREATEDBY: 'jsmith', CREATEDDATE: '2012-06-21T10:00:00' },
    { CASENUM: 67890, FOLLOWUPNUM: 2, SUBJECT: 'Called again', DESCRIPTION: 'Left a message', CREATEDBY: 'jsmith', CREATEDDATE: '2012-06-22T10:00:00' },
  ],
  tasks: [
    {
      TASKNUM: 100,
      ACCOUNTNUM: 10000019,
      SUBJECT: 'Phone Appointment',
      DESCRIPTION: 'Promotional campaign questions',
      TASK_STATUS: 'Pending',
      ASSIGNEDTO: 'jsmith',
      CREATEDBY: 'jsmith',
      CALL_TYPE: 'Outbound',
      MEDIA_TYPE: 'Phone',
      CAMPAIGNNAME: 'Promotional campaign for Holidays 2012',
      PHONE: '1-555-292-8608',
      EMAIL: 'sirben.kingsley@stars.com',
      TRANSID: '12345',
      DUEDATE: '2012-06-05T13:15:00',
      TASK_PICKLIST: 'two',
      TASK_TEXT: 'random text',
      TASK_DATE: '06222012',
      CREATEDDATE: '2012-06-01T09:00:00',
      LASTMODDATE: '2012-06-22T09:00:00',
    },
    { TASKNUM: 183, ACCOUNTNUM: 10000001, SUBJECT: 'Follow-up with customer on pricing', DESCRIPTION: 'Description for task', EMAIL: 'angel@8x8.com', CALLDURATION: '45', MEDIA_TYPE: 'Email', ASSIGNEDTO: 'pma', CREATEDBY: 'pma', TASK_STATUS: 'New', TASK_PICKLIST: 'three', TASK_DATE: '04062012', LASTMODDATE: '2012-06-21T18:04:02' },
    { TASKNUM: 184, ACCOUNTNUM: 10000001, SUBJECT: 'Gone', ASSIGNEDTO: 'oldagent', CREATEDBY: 'oldagent', TASK_STATUS: 'New' },
    { TASKNUM: 185, ACCOUNTNUM: 10000001, SUBJECT: 'promotional campaign 10', ASSIGNEDTO: 'jdoe', CREATEDBY: 'jdoe', TASK_STATUS: 'Closed' },
  ],
  faqcategories: [
    { FAQCATID: 1, FAQCATEGORY: 'Services', PRIVATE: 'N' },
    { FAQCATID: 2, FAQCATEGORY: 'Safety', PRIVATE: 'N' },
    { FAQCATID: 3, FAQCATEGORY: 'legalities', PRIVATE: 'N' },
    { FAQCATID: 4, FAQCATEGORY: 'legal', PRIVATE: 'N' },
  ],
  faqs: [
    { FAQID: 1, FAQCATID: 1, QUESTION: 'Which jets can I lease?', ANSWER: 'Ask sales.', PRIVATE: 'N' },
    {
      FAQID: 3,
      FAQCATID: 1,
      QUESTION: 'What types of private jets are available for leasing?',
      ANSWER: 'Private jets come in three size classes: light jets, mid-sized jets and heavy jets.',
      SHORTCUT: 'Jettype0',
      PRIVATE: 'Y',
      CREATEDDATE: '2012-06-21T09:00:00',
    },
    { FAQID: 45, FAQCATID: 2, QUESTION: 'Do I need a passport?', ANSWER: 'Yes, on international flights.', SHORTCUT: 'passport', PRIVATE: 'N' },
  ],
};
