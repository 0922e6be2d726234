/**
 * Checks of one value against its catalogue entry: length, characters, format, enumeration.
 * The character sets mirror the guide's parameter tables as FieldFormat documents them in
 * catalogue.ts.
 */
import type { FieldDef } from '../protocol/catalogue.js';
import { findNonXmlChar } from '../protocol/escape.js';
import { isRealDate } from './date-format.js';
import type { CustomFieldDef, TenantLists } from './tenant-lists.js';
import { charLength } from './transforms.js';

export interface FieldProblem {
  /** The tag concerned, or '' for a problem of the whole record. */
  readonly field: string;
  /** Stable: MISSING_MANDATORY, TOO_LONG, BAD_CHARACTERS, NOT_IN_LIST... */
  readonly code: string;
  readonly message: string;
}

/** A value as messages quote it: JSON-quoted, long values cut. */
export function show(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

// The guide gives customer EMAIL a character set (A-Z a-z 0-9 . _ - @); we read it, as the
// emulator does, as one address of those characters: name@domain.
const EMAIL = /^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$/;
// Task EMAIL: "Valid email address".
const TASK_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_CHARS = /^[+()/.\-_0-9 ]+$/;
const PASSWORD_CHARS = /^[A-Za-z_0-9]+$/;
const DIGITS = /^[0-9]+$/;
const COMPANY_BAD = /[~<>]/;
const FAQCATEGORY_CHARS = /^[\p{L}\p{N} ~!@#$%^:";',.?/]+$/u;
const DATE = /^(\d{2})(\d{2})(\d{4})$/;
const DATETIME = /^(\d{2})(\d{2})(\d{4})(\d{2})(\d{2})$/;

function isDate(value: string): boolean {
  const m = DATE.exec(value);
  return m !== null && isRealDate(Number(m[3]), Number(m[1]), Number(m[2]));
}

function isDateTime(value: string): boolean {
  const m = DATETIME.exec(value);
  return m !== null && isRealDate(Number(m[3]), Number(m[1]), Number(m[2]), Number(m[4]), Number(m[5]));
}

/** "A, B, C" for a few values, the first ten and a count for many. */
function listOf(values: readonly string[]): string {
  return values.length <= 10 ? values.join(', ') : `${values.slice(0, 10).join(', ')}... (${values.length} values)`;
}

// Each allowed-values list as a set and folded to lower case once, not once per row.
const listIndexes = new WeakMap<readonly string[], { exact: ReadonlySet<string>; folded: ReadonlyMap<string, string> }>();

function listIndex(allowed: readonly string[]): { exact: ReadonlySet<string>; folded: ReadonlyMap<string, string> } {
  let index = listIndexes.get(allowed);
  if (!index) {
    const folded = new Map<string, string>();
    for (const a of allowed) if (!folded.has(a.toLowerCase())) folded.set(a.toLowerCase(), a);
    index = { exact: new Set(allowed), folded };
    listIndexes.set(allowed, index);
  }
  return index;
}

/**
 * Enumerations match ignoring case, as the emulator does (it stores the list's spelling); agent
 * ids match exactly.
 */
function oneOf(tag: string, value: string, allowed: readonly string[], what: string, caseInsensitive = true): FieldProblem | undefined {
  const index = listIndex(allowed);
  if (index.exact.has(value)) return undefined;
  const folded = index.folded.get(value.toLowerCase());
  if (folded !== undefined && caseInsensitive) return undefined;
  const hint = folded !== undefined ? `did you mean "${folded}"? (case matters)` : `use one of: ${listOf(allowed)}`;
  return { field: tag, code: what === 'agents' ? 'UNKNOWN_AGENT' : 'NOT_IN_LIST', message: `${tag}: ${show(value)} is not one of the tenant's ${what} (${hint})` };
}

function lengthProblem(tag: string, value: string, max?: number, min?: number): FieldProblem | undefined {
  if (max === undefined && min === undefined) return undefined;
  const length = charLength(value);
  if (max !== undefined && length > max) {
    return { field: tag, code: 'TOO_LONG', message: `${tag}: ${length} characters, more than the ${max} allowed (shorten it, or add transform: [truncate])` };
  }
  if (min !== undefined && length < min) {
    return { field: tag, code: 'TOO_SHORT', message: `${tag}: ${length} characters, fewer than the ${min} required` };
  }
  return undefined;
}

const FORMAT_RULES: Partial<Record<FieldDef['format'], { test: (v: string) => boolean; code: string; rule: string }>> = {
  company: { test: (v) => !COMPANY_BAD.test(v), code: 'BAD_CHARACTERS', rule: 'may not contain ~ < >' },
  email: { test: (v) => EMAIL.test(v), code: 'BAD_FORMAT', rule: 'must be one address, name@domain, of the characters A-Z a-z 0-9 . _ - @' },
  'task-email': { test: (v) => TASK_EMAIL.test(v), code: 'BAD_FORMAT', rule: 'must be an email address, name@domain' },
  phone: {
    test: (v) => PHONE_CHARS.test(v) && /[0-9]/.test(v),
    code: 'BAD_CHARACTERS',
    rule: 'may only contain + ( ) / . - _ 0-9 and spaces, with at least one digit (add transform: [phone])',
  },
  password: { test: (v) => PASSWORD_CHARS.test(v), code: 'BAD_CHARACTERS', rule: 'may only contain A-Z a-z 0-9 _' },
  digits: { test: (v) => DIGITS.test(v), code: 'BAD_CHARACTERS', rule: 'may only contain digits' },
  date: { test: isDate, code: 'BAD_DATE', rule: 'must be a real date as MMDDYYYY (add date: <format> to convert)' },
  datetime: { test: isDateTime, code: 'BAD_DATE', rule: 'must be a real date and time as MMDDYYYYHHMM, 24-hour (add date: <format> to convert)' },
  'date-or-datetime': { test: (v) => isDate(v) || isDateTime(v), code: 'BAD_DATE', rule: 'must be MMDDYYYY or MMDDYYYYHHMM' },
  boolean: { test: (v) => /^(true|false)$/i.test(v), code: 'BAD_FORMAT', rule: 'must be TRUE or FALSE' },
  faqcategory: { test: (v) => FAQCATEGORY_CHARS.test(v), code: 'BAD_CHARACTERS', rule: 'may only contain letters, digits, spaces and ~ ! @ # $ % ^ : " ; \' , . ? /' },
};

// Agents and groups together, joined once per lists object.
const agentLists = new WeakMap<TenantLists, readonly string[]>();

function agentsOf(lists: TenantLists): readonly string[] {
  let all = agentLists.get(lists);
  if (!all) {
    all = [...(lists.agents ?? []), ...(lists.groups ?? [])];
    agentLists.set(lists, all);
  }
  return all;
}

// A cheap first look for anything findNonXmlChar could object to; most values have none.
 
const MAYBE_NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

function nonXmlChar(value: string): string | undefined {
  return MAYBE_NOT_XML.test(value) ? findNonXmlChar(value) : undefined;
}

/** Problems of one non-empty value of a standard field, or undefined. */
export function checkFieldValue(def: FieldDef, value: string, lists?: TenantLists): FieldProblem | undefined {
  const tag = def.tag;
  const bad = nonXmlChar(value);
  if (bad !== undefined) {
    return { field: tag, code: 'NOT_XML', message: `${tag}: holds the control character ${bad}, which XML cannot carry (remove it from the input)` };
  }
  if (def.notBlank && value.trim() === '') {
    return { field: tag, code: 'BLANK', message: `${tag}: whitespace only, which the guide does not allow (give a value or leave the column empty)` };
  }
  const length = lengthProblem(tag, value, def.maxLength, def.minLength);
  if (length) return length;
  const rule = FORMAT_RULES[def.format];
  if (rule && !rule.test(value)) return { field: tag, code: rule.code, message: `${tag}: ${show(value)} ${rule.rule}` };
  if (def.format === 'yn') {
    const ok = def.caseInsensitive ? /^[yn]$/i.test(value) : /^[YN]$/.test(value);
    if (!ok) return { field: tag, code: 'BAD_FORMAT', message: `${tag}: ${show(value)} must be Y or N (map yes/no with map: { yes: Y, no: N })` };
  }
  if (def.format === 'enum') {
    if (def.values) return oneOf(tag, value, def.values, 'values');
    const allowed = def.list ? lists?.[def.list] : undefined;
    if (allowed) return oneOf(tag, value, allowed, `${def.list} values`);
  }
  if (def.format === 'agent' && (lists?.agents || lists?.groups)) {
    return oneOf(tag, value, agentsOf(lists), 'agents', false);
  }
  return undefined;
}

/** Problems of one non-empty value of a custom field whose definition the tenant gave. */
export function checkCustomValue(tag: string, def: CustomFieldDef, value: string): FieldProblem | undefined {
  const bad = nonXmlChar(value);
  if (bad !== undefined) {
    return { field: tag, code: 'NOT_XML', message: `${tag}: holds the control character ${bad}, which XML cannot carry (remove it from the input)` };
  }
  const length = lengthProblem(tag, value, def.maxLength);
  if (length) return length;
  switch (def.type) {
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) ? undefined : { field: tag, code: 'BAD_FORMAT', message: `${tag}: ${show(value)} is not a number` };
    case 'date':
      return isDate(value)
        ? undefined
        : { field: tag, code: 'BAD_DATE', message: `${tag}: ${show(value)} must be a real date as MMDDYYYY (add date: <format> to convert)` };
    case 'url':
      return /^(https?|ftp):\/\/\S+$/i.test(value)
        ? undefined
        : { field: tag, code: 'BAD_FORMAT', message: `${tag}: ${show(value)} is not a URL (http://, https:// or ftp://)` };
    case 'picklist':
      return def.values ? oneOf(tag, value, def.values, 'picklist values') : undefined;
    default:
      return undefined;
  }
}
