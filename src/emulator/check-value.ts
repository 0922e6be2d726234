import type { Action, FieldDef } from '../protocol/catalogue.js';
import { E } from './api-error.js';
import { parseWireDate, parseWireDateOrDateTime, parseWireDateTime } from './dates.js';
import type { CustomFieldDef, Tenant } from './tenant.js';

// Character sets from the guide's parameter tables (catalogue.ts FieldFormat).
const EMAIL = /^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$/;
const TASK_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+()/._\- ]+$/;
const PASSWORD = /^[A-Za-z0-9_]+$/;
const DIGITS = /^\d+$/;
const FAQCATEGORY = /^[\p{L}\p{N} ~!@#$%^:";',.?/]+$/u;
const COMPANY_BAD = /[~<>]/;

/** Length in characters (code points), without spreading a 2 MB value into an array. */
export function charLength(value: string): number {
  const pairs = value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g);
  return value.length - (pairs === null ? 0 : pairs.length);
}

function checkLength(field: FieldDef, value: string): void {
  const length = charLength(value);
  const min = field.minLength ?? 1;
  if (field.maxLength !== undefined && (length > field.maxLength || length < min)) {
    throw E.length(field.tag, length, min, field.maxLength);
  }
}

/** The active value of a tenant list matching `value` (case-insensitively), or the error. */
function checkEnum(field: FieldDef, value: string, tenant: Tenant): string {
  const candidates = field.list ? tenant.list(field.list) : (field.values ?? []).map((v) => ({ value: v, active: true }));
  const exact = candidates.find((c) => c.value === value) ?? candidates.find((c) => c.value.toLowerCase() === value.toLowerCase());
  if (!exact || !exact.active) throw E.aliasValue(field.tag, value);
  return exact.value;
}

/** An agent or group id for ASSIGNEDTO/CREATEDBY. */
export function checkAgent(tag: string, value: string, tenant: Tenant): string {
  const agent = tenant.agents.get(value) ?? tenant.groups.get(value);
  if (!agent) throw E.tagValue(tag, value);
  if (agent.deleted) {
    if (tag === 'ASSIGNEDTO') throw E.assigneeDeleted(value);
    throw E.tagValue(tag, value);
  }
  return value;
}

/**
 * Check one standard field's value for ADD or MODIFY and return what the store keeps: the
 * canonical spelling of an enumeration, ISO text for DUEDATE, the value otherwise.
 */
export function checkFieldValue(field: FieldDef, value: string, tenant: Tenant, action: Action): string {
  if (value === '') throw E.aliasValue(field.tag, value);
  if (field.notBlank && value.trim() === '') throw E.criterion(field.tag, value);
  checkLength(field, value);
  switch (field.format) {
    case 'text':
      return value;
    case 'company':
      if (COMPANY_BAD.test(value)) throw E.criterion(field.tag, value);
      return value;
    case 'email':
      if (!EMAIL.test(value)) throw E.criterion(field.tag, value);
      return value;
    case 'task-email':
      if (!TASK_EMAIL.test(value)) throw E.criterion(field.tag, value);
      return value;
    case 'phone':
      if (!PHONE.test(value) || !/\d/.test(value)) throw E.criterion(field.tag, value);
      return value;
    case 'password':
      if (!PASSWORD.test(value)) throw E.criterion(field.tag, value);
      return value;
    case 'digits':
      if (!DIGITS.test(value)) throw E.criterion(field.tag, value);
      return value;
    case 'date':
      if (parseWireDate(value) === undefined) throw E.dateFormat(field.tag);
      return value;
    case 'datetime': {
      const iso = parseWireDateTime(value);
      if (iso === undefined) throw E.criterion(field.tag, value);
      return iso;
    }
    case 'date-or-datetime':
      if (parseWireDateOrDateTime(value) === undefined) throw E.dateFormat(field.tag);
      return value;
    case 'boolean':
      if (!/^(true|false)$/i.test(value)) throw E.aliasValue(field.tag, value);
      return value.toUpperCase();
    case 'yn': {
      const anyCase = field.caseInsensitive === true || (field.caseInsensitiveOn?.includes(action) ?? false);
      if (anyCase ? !/^[yn]$/i.test(value) : !/^[YN]$/.test(value)) throw E.aliasValue(field.tag, value);
      return value.toUpperCase();
    }
    case 'faqcategory':
      if (!FAQCATEGORY.test(value)) throw E.criterion(field.tag, value);
      return value;
    case 'enum':
      return checkEnum(field, value, tenant);
    case 'agent':
      return checkAgent(field.tag, value, tenant);
  }
}

const URL_RE = /^(https?|ftp):\/\/\S+$/i;
const NUMBER_RE = /^-?\d+(\.\d+)?$/;

/** Check a custom field's value (tenant-defined type, length, picklist values). */
export function checkCustomValue(def: CustomFieldDef, value: string): string {
  if (def.deleted) throw E.tagDeleted(def.tag);
  if (value === '') throw E.tagValue(def.tag, value);
  const length = charLength(value);
  switch (def.type) {
    case 'text':
      if (length > def.maxLength) throw E.customLength(def.tag, length, def.maxLength);
      return value;
    case 'number':
      if (!NUMBER_RE.test(value)) throw E.tagValue(def.tag, value);
      if (length > def.maxLength) throw E.customLength(def.tag, length, def.maxLength);
      return value;
    case 'url':
      if (!URL_RE.test(value)) throw E.tagValue(def.tag, value);
      if (length > def.maxLength) throw E.customLength(def.tag, length, def.maxLength);
      return value;
    case 'date':
      if (parseWireDate(value) === undefined) throw E.dateFormat(def.tag);
      return value;
    case 'picklist': {
      const found = def.values.find((v) => v === value) ?? def.values.find((v) => v.toLowerCase() === value.toLowerCase());
      if (found === undefined) throw E.tagValueEq(def.tag, value);
      return found;
    }
  }
}
