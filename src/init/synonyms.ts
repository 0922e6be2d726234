/**
 * Column names that mean a CRM field, per object, as exports from other CRMs write them
 * (Salesforce API names and report labels, HubSpot property labels, Zendesk export columns,
 * plain snake_case). Compared folded: lower case, letters and digits only, so `First Name`,
 * `first_name`, `FirstName` and `FIRSTNAME` are all `firstname`. Earlier names win.
 */
import type { MappingObject } from '../mapping/types.js';

export const fold = (name: string): string => name.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toLowerCase();

type Table = Readonly<Record<string, readonly string[]>>;

const CUSTOMER: Table = {
  FIRSTNAME: ['firstname', 'first', 'givenname', 'forename', 'fname', 'vorname', 'prenom'],
  LASTNAME: ['lastname', 'last', 'surname', 'familyname', 'lname', 'nachname', 'nom'],
  EMAIL: ['email', 'emailaddress', 'mail', 'primaryemail', 'workemail', 'emailwork', 'businessemail', 'email1', 'emailother', 'emailhome', 'personalemail'],
  COMPANY: ['company', 'companyname', 'accountname', 'organization', 'organisation', 'organizationname', 'employer', 'firm', 'associatedcompany'],
  VOICE: ['phone', 'phonenumber', 'telephone', 'tel', 'workphone', 'businessphone', 'officephone', 'phonework', 'voice', 'primaryphone'],
  ALTERNATIVE: ['mobile', 'mobilephone', 'mobilephonenumber', 'cell', 'cellphone', 'mobilenumber', 'cellnumber', 'homephone', 'phonehome', 'otherphone', 'alternatephone', 'phone2'],
  FAX: ['fax', 'faxnumber', 'businessfax'],
  ADDR1STR1: ['street', 'streetaddress', 'address', 'address1', 'addressline1', 'mailingstreet', 'billingstreet', 'street1'],
  ADDR1STR2: ['address2', 'addressline2', 'street2'],
  ADDR1CITY: ['city', 'town', 'mailingcity', 'billingcity', 'locality'],
  ADDR1STATE: ['state', 'province', 'region', 'stateregion', 'stateprovince', 'mailingstate', 'billingstate', 'county'],
  ADDR1ZIP: ['zip', 'zipcode', 'postalcode', 'postcode', 'mailingpostalcode', 'billingpostalcode', 'mailingzip', 'plz'],
  ADDR1COUNTRY: ['country', 'countryregion', 'mailingcountry', 'billingcountry', 'nation'],
  ADDR2STR1: ['otherstreet', 'shippingstreet'],
  ADDR2CITY: ['othercity', 'shippingcity'],
  ADDR2STATE: ['otherstate', 'shippingstate'],
  ADDR2ZIP: ['otherpostalcode', 'shippingpostalcode'],
  ADDR2COUNTRY: ['othercountry', 'shippingcountry'],
  COMMENTS: ['notes', 'note', 'comments', 'comment', 'description', 'remarks', 'background'],
  CUSTOMERTYPE: ['customertype', 'tier', 'contacttype', 'type'],
};

const CASE: Table = {
  SUBJECT: ['subject', 'title', 'summary', 'casesubject', 'ticketsubject'],
  DESCRIPTION: ['description', 'body', 'details', 'message', 'content', 'text', 'problem'],
  STATUS: ['status', 'state', 'casestatus', 'ticketstatus'],
  PRIORITY: ['priority', 'urgency'],
  SEVERITY: ['severity', 'impact'],
  CATEGORY: ['category', 'casetype', 'tickettype', 'type', 'plan'],
  PROJECT: ['project'],
  MEDIATYPE: ['origin', 'channel', 'source', 'via', 'caseorigin', 'mediatype'],
  ASSIGNEDTO: ['owner', 'assignee', 'assignedto', 'agent', 'ownerid', 'caseowner', 'ownername'],
};

const TASK: Table = {
  SUBJECT: ['subject', 'title'],
  DESCRIPTION: ['description', 'notes', 'note', 'body', 'details', 'comments'],
  TASK_STATUS: ['status', 'state', 'taskstatus'],
  MEDIA_TYPE: ['type', 'mediatype', 'channel', 'tasktype', 'tasksubtype'],
  CALL_TYPE: ['direction', 'calltype', 'calldirection'],
  DUEDATE: ['duedate', 'due', 'dueat', 'activitydate', 'deadline', 'duedatetime', 'dueon'],
  REMINDER: ['reminder', 'remind', 'isreminderset', 'reminderset'],
  ASSIGNEDTO: ['owner', 'assignee', 'assignedto', 'ownerid'],
  PHONE: ['phone', 'phonenumber'],
  EMAIL: ['email', 'emailaddress'],
  CAMPAIGNNAME: ['campaign', 'campaignname'],
  CALLDURATION: ['callduration', 'duration', 'calldurationinseconds'],
};

const FOLLOWUP: Table = {
  SUBJECT: ['subject', 'title'],
  DESCRIPTION: ['body', 'description', 'comment', 'commentbody', 'plainbody', 'text', 'note', 'notes', 'content', 'message'],
  MEDIATYPE: ['channel', 'via', 'viachannel', 'mediatype', 'source'],
};

export const FIELD_SYNONYMS: Readonly<Record<MappingObject, Table>> = { customer: CUSTOMER, case: CASE, task: TASK, followup: FOLLOWUP };

/** Columns naming the row itself (the mapping's key), most specific first. */
export const KEY_SYNONYMS: Readonly<Record<MappingObject, readonly string[]>> = {
  customer: ['legacyid', 'contactid', 'customerid', 'recordid', 'externalid', 'customernumber', 'customerno', 'id'],
  case: ['legacyid', 'ticketid', 'caseid', 'casenumber', 'ticketnumber', 'externalid', 'recordid', 'id'],
  task: ['legacyid', 'activityid', 'taskid', 'externalid', 'recordid', 'id'],
  followup: ['legacyid', 'noteid', 'commentid', 'followupid', 'externalid', 'recordid', 'id'],
};

/** Columns naming the parent: the customer of a case or task, the case of a follow-up. */
export const PARENT_SYNONYMS: Readonly<Record<MappingObject, readonly string[]>> = {
  customer: [],
  case: ['customerid', 'customerlegacyid', 'contactid', 'requesterid', 'accountid', 'clientid', 'customer'],
  task: ['customerid', 'customerlegacyid', 'contactid', 'whoid', 'accountid', 'clientid', 'customer'],
  followup: ['ticketid', 'caseid', 'parentid', 'caselegacyid', 'ticket', 'case', 'ticketnumber'],
};

/** The custom field a legacy id goes to, named as in the sample tenant (samples/tenant.yaml). */
export const LEGACY_FIELD: Readonly<Record<MappingObject, string | undefined>> = {
  customer: 'LEGACY_ID',
  case: 'CASE_LEGACY_ID',
  task: 'TASK_LEGACY_ID',
  followup: undefined,
};

/** Columns whose values must never be imported as they are. */
export const SECRET_COLUMN = /password|passwd|pwd|secret|token|apikey/i;
