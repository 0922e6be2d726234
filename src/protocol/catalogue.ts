/**
 * The field catalogue: every object of the CRM API, its fields, and the rules the guide's
 * parameter tables give for them. One declarative table read by the import validator, the
 * emulator and the exporter (whose column order is the order of `fields` here).
 *
 * Transcribed from the vendor guide's "Mandatory and Optional Parameters" and "List of
 * Parameters" tables, read as the README's "Protocol notes" say. Where the guide's Modify
 * tables leave out a field that its Add table has (case PROJECT, task CAMPAIGNNAME,
 * CALLDURATION and TRANSID, FAQ LANGUAGE), we read it as an omission of the extraction and
 * accept the field in MODIFY too. What each FieldFormat means is checked in one place,
 * wire-formats.ts.
 */

export const OBJECTS = ['CUSTOMER', 'CASE', 'FOLLOWUP', 'TASK', 'FAQ', 'FAQCATEGORY'] as const;
export type ObjectName = (typeof OBJECTS)[number];

export const ACTIONS = ['ADD', 'MODIFY', 'GET', 'DELETE'] as const;
export type Action = (typeof ACTIONS)[number];

/** Objects that answer ACTION="LIST". */
export const LIST_OBJECTS = ['COUNTRY', 'GROUPS', 'AGENTS', 'FAQCATEGORY'] as const;
export type ListObject = (typeof LIST_OBJECTS)[number];

/**
 * How a value is checked.
 * - text: any character (the "Any character" rows)
 * - company: any character but `~ < >` (the COMPANY rows)
 * - email: `A-Z a-z 0-9 . _ - @` (customer EMAIL)
 * - task-email: a plausible address, `local@domain` (task EMAIL: "Valid email address")
 * - phone: `+ ( ) / . - _ 0-9 space`, at least one digit (VOICE, ALTERNATIVE, FAX, PHONE)
 * - password: `A-Z a-z _ 0-9`
 * - digits: `0-9` only (ids, CALLDURATION, TRANSID)
 * - date: MMDDYYYY
 * - datetime: MMDDYYYYHH24MI (task DUEDATE)
 * - date-or-datetime: either (FROMDUEDATE/TODUEDATE)
 * - boolean: TRUE or FALSE, case-insensitive (AUTOPASSWD)
 * - yn: Y or N (case-sensitive unless `caseInsensitive`)
 * - faqcategory: letters, digits, spaces and `~ ! @ # $ % ^ : " ; ' , . ? /`
 * - enum: one of a tenant list (`list`) or a fixed set (`values`)
 * - agent: an agent or group id of the tenant (ASSIGNEDTO, CREATEDBY)
 */
export type FieldFormat =
  | 'text'
  | 'company'
  | 'email'
  | 'task-email'
  | 'phone'
  | 'password'
  | 'digits'
  | 'date'
  | 'datetime'
  | 'date-or-datetime'
  | 'boolean'
  | 'yn'
  | 'faqcategory'
  | 'enum'
  | 'agent';

/** M: mandatory, O: optional. Absent: the tag is not valid for that action. */
export type Presence = 'M' | 'O';

/** Tenant lists an enumerated field draws its values from (samples/tenant.yaml). */
export type TenantList =
  | 'COUNTRY'
  | 'CUSTOMERTYPE'
  | 'CASE_STATUS'
  | 'PRIORITY'
  | 'SEVERITY'
  | 'CATEGORY'
  | 'PROJECT'
  | 'VISIBILITY'
  | 'CASE_MEDIATYPE'
  | 'FOLLOWUP_MEDIATYPE'
  | 'TASK_STATUS'
  | 'TASK_MEDIATYPE'
  | 'CALL_TYPE';

export interface FieldDef {
  readonly tag: string;
  /** Which actions take the tag as a request parameter, and whether it is mandatory there. */
  readonly actions: Readonly<Partial<Record<Action, Presence>>>;
  /** Returned in GET replies (and so an export column). */
  readonly reply: boolean;
  readonly format: FieldFormat;
  readonly maxLength?: number;
  readonly minLength?: number;
  /** Whitespace-only is invalid ("Invalid: whitespace-only"). */
  readonly notBlank?: boolean;
  readonly list?: TenantList;
  readonly values?: readonly string[];
  readonly caseInsensitive?: boolean;
  /** The actions where the value is read in any case, when `caseInsensitive` is not set. */
  readonly caseInsensitiveOn?: readonly Action[];
  /** Value the server stores when ADD does not send the tag. */
  readonly default?: string;
  /** Unique among the object's records. */
  readonly unique?: boolean;
  /** GET accepts `%` wildcards (README, "Protocol notes", "GET"). */
  readonly wildcard?: boolean;
  /** GET accepts the tag repeated, as an OR. */
  readonly multi?: boolean;
  /** Set by the server, never by a request (CREATEDDATE, LASTMODDATE...). */
  readonly readOnly?: boolean;
  /** Another spelling of this tag the server accepts (task MEDIATYPE for MEDIA_TYPE). */
  readonly alias?: string;
  /** GET-only filter tags whose value is matched on a related record (case LASTNAME). */
  readonly filterOnly?: boolean;
}

export interface ObjectDef {
  readonly name: ObjectName;
  /** The tag naming a record: ACCOUNTNUM, CASENUM... */
  readonly idTag: string;
  /** Tag of the parent's id, where the object hangs under another. */
  readonly parentTag?: string;
  /** Whether the tenant can define custom fields on it. */
  readonly customFields: boolean;
  /** GET date-range pairs [from, to] and the reply field each filters on. */
  readonly ranges: readonly (readonly [from: string, to: string, field: string])[];
  readonly fields: readonly FieldDef[];
}

const MB2 = 2 * 1024 * 1024;

// Shorthands for the action columns of the tables.
const ADD_M_MOD_O = { ADD: 'M', MODIFY: 'O' } as const;
const ADD_O_MOD_O = { ADD: 'O', MODIFY: 'O' } as const;

const CUSTOMER: ObjectDef = {
  name: 'CUSTOMER',
  idTag: 'ACCOUNTNUM',
  customFields: true,
  ranges: [
    ['FROMCREATEDATE', 'TOCREATEDATE', 'CREATEDDATE'],
    ['FROMLASTMODDATE', 'TOLASTMODDATE', 'LASTMODDATE'],
  ],
  fields: [
    { tag: 'ACCOUNTNUM', actions: { MODIFY: 'M', GET: 'O', DELETE: 'M' }, reply: true, format: 'digits', wildcard: true },
    { tag: 'FIRSTNAME', actions: { ...ADD_M_MOD_O, GET: 'O' }, reply: true, format: 'text', maxLength: 30, wildcard: true },
    { tag: 'LASTNAME', actions: { ...ADD_M_MOD_O, GET: 'O' }, reply: true, format: 'text', maxLength: 30, wildcard: true },
    { tag: 'EMAIL', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'email', maxLength: 55, unique: true, wildcard: true },
    { tag: 'COMPANY', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'company', maxLength: 50, notBlank: true, wildcard: true },
    { tag: 'VOICE', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'phone', maxLength: 38 },
    { tag: 'ALTERNATIVE', actions: ADD_O_MOD_O, reply: true, format: 'phone', maxLength: 38 },
    { tag: 'FAX', actions: ADD_O_MOD_O, reply: true, format: 'phone', maxLength: 38 },
    { tag: 'COMMENTS', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 1024 },
    { tag: 'PASSWORD', actions: ADD_O_MOD_O, reply: true, format: 'password', minLength: 3, maxLength: 15 },
    { tag: 'AUTOPASSWD', actions: ADD_M_MOD_O, reply: true, format: 'boolean', caseInsensitive: true },
    { tag: 'ADDR1STR1', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 50 },
    { tag: 'ADDR1STR2', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 50 },
    { tag: 'ADDR1CITY', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 40 },
    { tag: 'ADDR1STATE', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 30 },
    { tag: 'ADDR1ZIP', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 15 },
    { tag: 'ADDR1COUNTRY', actions: ADD_O_MOD_O, reply: true, format: 'enum', list: 'COUNTRY', default: 'United States' },
    { tag: 'ADDR2STR1', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 50 },
    { tag: 'ADDR2STR2', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 50 },
    { tag: 'ADDR2CITY', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 40 },
    { tag: 'ADDR2STATE', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 30 },
    { tag: 'ADDR2ZIP', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 15 },
    { tag: 'ADDR2COUNTRY', actions: ADD_O_MOD_O, reply: true, format: 'enum', list: 'COUNTRY', default: 'United States' },
    { tag: 'CUSTOMERTYPE', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'enum', list: 'CUSTOMERTYPE', default: 'Default' },
    { tag: 'CREATEDDATE', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'LASTMODDATE', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'FROMCREATEDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'TOCREATEDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'FROMLASTMODDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'TOLASTMODDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
  ],
};

/** Fields a case and a follow-up share: the case's classification. */
function classification(mediaList: TenantList, withGet: boolean): FieldDef[] {
  const get = withGet ? ({ GET: 'O' } as const) : {};
  return [
    { tag: 'STATUS', actions: { ...ADD_O_MOD_O, ...get }, reply: true, format: 'enum', list: 'CASE_STATUS', multi: withGet },
    { tag: 'PRIORITY', actions: { ...ADD_O_MOD_O, ...get }, reply: true, format: 'enum', list: 'PRIORITY', default: 'Medium', multi: withGet },
    { tag: 'SEVERITY', actions: { ...ADD_O_MOD_O, ...get }, reply: true, format: 'enum', list: 'SEVERITY', default: 'Information', multi: withGet },
    { tag: 'PROJECT', actions: { ...ADD_O_MOD_O, ...get }, reply: true, format: 'enum', list: 'PROJECT', default: 'Default', multi: withGet },
    { tag: 'CATEGORY', actions: { ...ADD_O_MOD_O, ...get }, reply: true, format: 'enum', list: 'CATEGORY', default: 'Default', multi: withGet },
    { tag: 'VISIBILITY', actions: ADD_O_MOD_O, reply: true, format: 'enum', list: 'VISIBILITY', default: 'Internal' },
    { tag: 'MEDIATYPE', actions: ADD_O_MOD_O, reply: true, format: 'enum', list: mediaList },
    { tag: 'ASSIGNEDTO', actions: { ...ADD_O_MOD_O, ...get }, reply: true, format: 'agent', multi: withGet },
  ];
}

const CASE: ObjectDef = {
  name: 'CASE',
  idTag: 'CASENUM',
  parentTag: 'ACCOUNTNUM',
  customFields: true,
  ranges: [
    ['FROMDATE', 'TODATE', 'CREATEDDATE'],
    ['FROMCREATEDATE', 'TOCREATEDATE', 'CREATEDDATE'],
    ['FROMLASTMODDATE', 'TOLASTMODDATE', 'LASTMODDATE'],
  ],
  fields: [
    { tag: 'CASENUM', actions: { MODIFY: 'M', GET: 'O', DELETE: 'M' }, reply: true, format: 'digits' },
    { tag: 'ACCOUNTNUM', actions: { ADD: 'M', GET: 'O' }, reply: true, format: 'digits' },
    { tag: 'SUBJECT', actions: { ...ADD_M_MOD_O, GET: 'O' }, reply: true, format: 'text', maxLength: 255, notBlank: true, wildcard: true },
    { tag: 'DESCRIPTION', actions: ADD_M_MOD_O, reply: true, format: 'text', maxLength: MB2, notBlank: true },
    ...classification('CASE_MEDIATYPE', true),
    { tag: 'ASSIGNEDDATE', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'CREATEDBY', actions: { GET: 'O' }, reply: true, format: 'agent', multi: true, readOnly: true },
    { tag: 'CREATEDDATE', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'CLOSEDBY', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'CLOSEDDATE', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'LASTACTDATE', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'LASTMODDATE', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'LASTNAME', actions: { GET: 'O' }, reply: false, format: 'company', maxLength: 30, notBlank: true, wildcard: true, filterOnly: true },
    { tag: 'COMPANY', actions: { GET: 'O' }, reply: false, format: 'company', maxLength: 50, notBlank: true, wildcard: true, filterOnly: true },
    { tag: 'ATTACHMENTS', actions: { GET: 'O' }, reply: false, format: 'enum', values: ['yes', 'no'], caseInsensitive: true, filterOnly: true },
    { tag: 'FROMDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'TODATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'FROMCREATEDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'TOCREATEDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'FROMLASTMODDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'TOLASTMODDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
  ],
};

const FOLLOWUP: ObjectDef = {
  name: 'FOLLOWUP',
  idTag: 'FOLLOWUPNUM',
  parentTag: 'CASENUM',
  customFields: true,
  ranges: [['FROMCREATEDATE', 'TOCREATEDATE', 'CREATEDDATE']],
  fields: [
    // FOLLOWUPNUM counts within its case; FOLLOWUPID is the tenant-wide id (the guide's reply
    // shows FOLLOWUPNUM 3 beside FOLLOWUPID 5).
    { tag: 'FOLLOWUPNUM', actions: { DELETE: 'M' }, reply: true, format: 'digits' },
    { tag: 'FOLLOWUPID', actions: {}, reply: true, format: 'digits', readOnly: true },
    { tag: 'CASENUM', actions: { ADD: 'M', GET: 'M', DELETE: 'M' }, reply: true, format: 'digits', wildcard: true },
    { tag: 'SUBJECT', actions: { ADD: 'M' }, reply: true, format: 'text', maxLength: 255, notBlank: true },
    { tag: 'DESCRIPTION', actions: { ADD: 'M' }, reply: true, format: 'text', maxLength: MB2, notBlank: true },
    // A follow-up takes its classification from its case when it sends none (the Add Follow-up
    // table names no defaults of its own), so no catalogue defaults here.
    ...classification('FOLLOWUP_MEDIATYPE', false).map(({ default: _none, ...f }) => ({ ...f, actions: { ADD: 'O' as const } })),
    { tag: 'ATTACHMENTS', actions: {}, reply: true, format: 'digits', readOnly: true },
    { tag: 'CREATEDBY', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'CREATEDDATE', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'FROMCREATEDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'TOCREATEDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
  ],
};

const TASK: ObjectDef = {
  name: 'TASK',
  idTag: 'TASKNUM',
  parentTag: 'ACCOUNTNUM',
  customFields: true,
  ranges: [
    ['FROMCREATEDATE', 'TOCREATEDATE', 'CREATEDDATE'],
    ['FROMDUEDATE', 'TODUEDATE', 'DUEDATE'],
    ['FROMLASTMODDATE', 'TOLASTMODDATE', 'LASTMODDATE'],
  ],
  fields: [
    { tag: 'TASKNUM', actions: { MODIFY: 'M', GET: 'O', DELETE: 'M' }, reply: true, format: 'digits' },
    { tag: 'ACCOUNTNUM', actions: { ADD: 'M', GET: 'O' }, reply: true, format: 'digits' },
    { tag: 'SUBJECT', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'text', maxLength: 255, notBlank: true, wildcard: true },
    { tag: 'DESCRIPTION', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'text', maxLength: MB2, notBlank: true },
    { tag: 'TASK_STATUS', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'enum', list: 'TASK_STATUS', default: 'New', multi: true },
    { tag: 'MEDIA_TYPE', alias: 'MEDIATYPE', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'enum', list: 'TASK_MEDIATYPE', multi: true },
    { tag: 'CALL_TYPE', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'enum', list: 'CALL_TYPE', multi: true },
    { tag: 'PHONE', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'phone', maxLength: 128, wildcard: true },
    { tag: 'EMAIL', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'task-email', maxLength: 255, wildcard: true },
    { tag: 'DUEDATE', actions: ADD_O_MOD_O, reply: true, format: 'datetime' },
    { tag: 'REMINDER', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'yn', default: 'N' },
    { tag: 'CAMPAIGNNAME', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'text', maxLength: 255, notBlank: true, wildcard: true },
    { tag: 'CALLDURATION', actions: ADD_O_MOD_O, reply: true, format: 'digits', maxLength: 13 },
    { tag: 'TRANSID', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'digits', maxLength: 10, wildcard: true },
    // Not in the guide: live tenants take it from a production lead-routing integration (a link
    // back to the source system) and return it in GET (README, "Protocol notes").
    { tag: 'MIDDLEWARE_URL', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 2048, notBlank: true },
    { tag: 'ASSIGNEDTO', actions: { ...ADD_O_MOD_O, GET: 'O' }, reply: true, format: 'agent', multi: true },
    { tag: 'CREATEDBY', actions: { ADD: 'O', GET: 'O' }, reply: true, format: 'agent', multi: true },
    { tag: 'CREATEDDATE', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'LASTMODDATE', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'FROMCREATEDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'TOCREATEDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'FROMDUEDATE', actions: { GET: 'O' }, reply: false, format: 'date-or-datetime' },
    { tag: 'TODUEDATE', actions: { GET: 'O' }, reply: false, format: 'date-or-datetime' },
    { tag: 'FROMLASTMODDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'TOLASTMODDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
  ],
};

export const FAQ_LANGUAGES = [
  'en', 'ru', 'de', 'ja', 'es', 'fr', 'pt', 'it', 'pl', 'hr', 'hi', 'nl', 'ar', 'da', 'ko', 'no', 'sv', 'vi', 'cy',
  'th', 'zh-CN', 'zh-TW',
] as const;

const FAQCATEGORY: ObjectDef = {
  name: 'FAQCATEGORY',
  idTag: 'FAQCATID',
  customFields: false,
  ranges: [],
  fields: [
    { tag: 'FAQCATID', actions: { MODIFY: 'M', GET: 'O', DELETE: 'M' }, reply: true, format: 'digits' },
    { tag: 'FAQCATEGORY', actions: { ADD: 'M', MODIFY: 'M' }, reply: true, format: 'faqcategory', maxLength: 50, notBlank: true },
    { tag: 'PRIVATE', actions: ADD_O_MOD_O, reply: true, format: 'yn', default: 'N' },
  ],
};

const FAQ: ObjectDef = {
  name: 'FAQ',
  idTag: 'FAQID',
  parentTag: 'FAQCATID',
  customFields: false,
  ranges: [['FROMCREATEDATE', 'TOCREATEDATE', 'CREATEDDATE']],
  fields: [
    { tag: 'FAQID', actions: { MODIFY: 'M', DELETE: 'M' }, reply: true, format: 'digits' },
    { tag: 'FAQCATID', actions: { ADD: 'M', GET: 'O' }, reply: true, format: 'digits' },
    { tag: 'QUESTION', actions: ADD_M_MOD_O, reply: true, format: 'text', maxLength: 250, notBlank: true },
    { tag: 'ANSWER', actions: ADD_M_MOD_O, reply: true, format: 'text', maxLength: 4000, notBlank: true },
    { tag: 'SHORTCUT', actions: ADD_O_MOD_O, reply: true, format: 'text', maxLength: 20, notBlank: true, unique: true },
    // The Add FAQ table calls PRIVATE case-sensitive; the Modify FAQ table says "Values are not
    // case-sensitive".
    { tag: 'PRIVATE', actions: ADD_O_MOD_O, reply: true, format: 'yn', default: 'N', caseInsensitiveOn: ['MODIFY'] },
    { tag: 'LANGUAGE', actions: ADD_O_MOD_O, reply: true, format: 'enum', values: FAQ_LANGUAGES, default: 'en' },
    { tag: 'CREATEDDATE', actions: {}, reply: true, format: 'text', readOnly: true },
    { tag: 'STRING', actions: { GET: 'O' }, reply: false, format: 'text', wildcard: true, filterOnly: true },
    { tag: 'FROMCREATEDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
    { tag: 'TOCREATEDATE', actions: { GET: 'O' }, reply: false, format: 'date' },
  ],
};

export const CATALOGUE: Readonly<Record<ObjectName, ObjectDef>> = { CUSTOMER, CASE, FOLLOWUP, TASK, FAQ, FAQCATEGORY };

/** The object definition for a name in any case, or undefined. */
export function objectDef(name: string): ObjectDef | undefined {
  return (CATALOGUE as Record<string, ObjectDef>)[name.toUpperCase()];
}

/** A field of an object by tag or alias (case-insensitive), or undefined (maybe a custom field). */
export function fieldDef(object: ObjectDef, tag: string): FieldDef | undefined {
  const upper = tag.toUpperCase();
  return object.fields.find((f) => f.tag === upper || f.alias === upper);
}

/** The fields a GET reply carries, in catalogue order: the export's default columns. */
export function replyFields(object: ObjectDef): readonly FieldDef[] {
  return object.fields.filter((f) => f.reply);
}

/** Whether a tag can be sent with an action (standard fields only). */
export function acceptsTag(object: ObjectDef, tag: string, action: Action): boolean {
  const field = fieldDef(object, tag);
  return field !== undefined && field.actions[action] !== undefined;
}
