/**
 * Checks of one value against its catalogue entry: length, characters, format, enumeration. The
 * rules themselves are the wire's (src/protocol/wire-formats.ts), the ones the emulator applies;
 * this file words the problems for people, with a fix.
 */
import type { Action, FieldDef, FieldFormat } from '../protocol/catalogue.js';
import { normaliseLineEnds } from '../protocol/escape.js';
import { WIRE_YEARS } from '../protocol/wire-dates.js';
import { checkCustomWireValue, checkWireValue, matchEnum, type WireFault } from '../protocol/wire-formats.js';
import type { CustomFieldDef, TenantLists } from './tenant-lists.js';

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

const YEARS = `years ${WIRE_YEARS.min} to ${WIRE_YEARS.max}`;

/** "A, B, C" for a few values, the first ten and a count for many. */
function listOf(values: readonly string[]): string {
  return values.length <= 10 ? values.join(', ') : `${values.slice(0, 10).join(', ')}... (${values.length} values)`;
}

/**
 * Enumerations match ignoring case, as the emulator does (it stores the list's spelling); agent
 * ids match exactly.
 */
function oneOf(tag: string, value: string, allowed: readonly string[], what: string, anyCase = true): FieldProblem | undefined {
  if (matchEnum(value, allowed, anyCase) !== undefined) return undefined;
  const folded = anyCase ? undefined : matchEnum(value, allowed, true);
  const hint = folded !== undefined ? `did you mean "${folded}"? (case matters)` : `use one of: ${listOf(allowed)}`;
  return { field: tag, code: what === 'agents' ? 'UNKNOWN_AGENT' : 'NOT_IN_LIST', message: `${tag}: ${show(value)} is not one of the tenant's ${what} (${hint})` };
}

const FORMAT_RULES: Partial<Record<FieldFormat, { code: string; rule: string }>> = {
  company: { code: 'BAD_CHARACTERS', rule: 'may not contain ~ < >' },
  email: { code: 'BAD_FORMAT', rule: 'must be one address, name@domain, of the characters A-Z a-z 0-9 . _ - @' },
  'task-email': { code: 'BAD_FORMAT', rule: 'must be an email address, name@domain' },
  phone: { code: 'BAD_CHARACTERS', rule: 'may only contain + ( ) / . - _ 0-9 and spaces, with at least one digit (add transform: [phone])' },
  password: { code: 'BAD_CHARACTERS', rule: 'may only contain A-Z a-z 0-9 _' },
  digits: { code: 'BAD_CHARACTERS', rule: 'may only contain digits' },
  date: { code: 'BAD_DATE', rule: `must be a real date as MMDDYYYY, ${YEARS} (add date: <format> to convert)` },
  datetime: { code: 'BAD_DATE', rule: `must be a real date and time as MMDDYYYYHHMM, 24-hour, ${YEARS} (add date: <format> to convert)` },
  'date-or-datetime': { code: 'BAD_DATE', rule: `must be MMDDYYYY or MMDDYYYYHHMM, ${YEARS}` },
  boolean: { code: 'BAD_FORMAT', rule: 'must be TRUE or FALSE' },
  yn: { code: 'BAD_FORMAT', rule: 'must be Y or N (map yes/no with map: { yes: Y, no: N })' },
  faqcategory: { code: 'BAD_CHARACTERS', rule: 'may only contain letters, digits, spaces and ~ ! @ # $ % ^ : " ; \' , . ? /' },
};

/** The problem a WireFault other than `format` stands for; undefined for `format`. */
function faultProblem(tag: string, fault: WireFault): FieldProblem | undefined {
  switch (fault.kind) {
    case 'not-xml':
      return { field: tag, code: 'NOT_XML', message: `${tag}: holds the control character ${fault.char}, which XML cannot carry (remove it from the input)` };
    case 'blank':
      return { field: tag, code: 'BLANK', message: `${tag}: whitespace only, which the guide does not allow (give a value or leave the column empty)` };
    case 'too-long':
      return { field: tag, code: 'TOO_LONG', message: `${tag}: ${fault.length} characters, more than the ${fault.max} allowed (shorten it, or add transform: [truncate])` };
    case 'too-short':
      return { field: tag, code: 'TOO_SHORT', message: `${tag}: ${fault.length} characters, fewer than the ${fault.min} required` };
    case 'format':
      return undefined;
  }
}

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

/**
 * Problems of one non-empty value of a standard field, or undefined. `action` matters for the
 * fields the guide reads in any case on some actions only (FAQ PRIVATE on MODIFY); without it
 * the stricter reading applies.
 */
export function checkFieldValue(def: FieldDef, value: string, lists?: TenantLists, action?: Action): FieldProblem | undefined {
  const tag = def.tag;
  // Judged as it travels: the client sends line ends as LF.
  const sent = normaliseLineEnds(value);
  const fault = checkWireValue(def, sent, action);
  if (fault) {
    const rule = FORMAT_RULES[def.format];
    return faultProblem(tag, fault) ?? { field: tag, code: rule?.code ?? 'BAD_FORMAT', message: `${tag}: ${show(sent)} ${rule?.rule ?? 'is not valid'}` };
  }
  if (def.format === 'enum') {
    if (def.values) return oneOf(tag, sent, def.values, 'values');
    const allowed = def.list ? lists?.[def.list] : undefined;
    if (allowed) return oneOf(tag, sent, allowed, `${def.list} values`);
  }
  if (def.format === 'agent' && (lists?.agents || lists?.groups)) {
    return oneOf(tag, sent, agentsOf(lists), 'agents', false);
  }
  return undefined;
}

const CUSTOM_RULES: Record<CustomFieldDef['type'], { code: string; rule: string }> = {
  text: { code: 'BAD_FORMAT', rule: 'is not valid' },
  number: { code: 'BAD_FORMAT', rule: 'is not a number' },
  date: { code: 'BAD_DATE', rule: `must be a real date as MMDDYYYY, ${YEARS} (add date: <format> to convert)` },
  url: { code: 'BAD_FORMAT', rule: 'is not a URL (http://, https:// or ftp://)' },
  picklist: { code: 'NOT_IN_LIST', rule: 'is not one of the picklist values' },
};

/** Problems of one non-empty value of a custom field whose definition the tenant gave. */
export function checkCustomValue(tag: string, def: CustomFieldDef, value: string): FieldProblem | undefined {
  const sent = normaliseLineEnds(value);
  const fault = checkCustomWireValue(def.type, sent, def.maxLength);
  if (fault) {
    const rule = CUSTOM_RULES[def.type];
    return faultProblem(tag, fault) ?? { field: tag, code: rule.code, message: `${tag}: ${show(sent)} ${rule.rule}` };
  }
  return def.type === 'picklist' && def.values ? oneOf(tag, sent, def.values, 'picklist values') : undefined;
}
