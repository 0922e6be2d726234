/**
 * The rules a value must meet to be taken by the CRM: lengths, blanks, the character sets and
 * formats of the guide's parameter tables (FieldFormat in catalogue.ts), enumerations, and the
 * types of custom fields. The offline validator (src/mapping/check-value.ts) and the emulator
 * (src/emulator/check-value.ts) both judge values here and differ only in how they say no (a
 * FieldProblem, an error reply), so `wapi-bulk validate` passes exactly what the emulator takes
 * (test/unit/wire/wire-rules.test.ts holds them to it, rule by rule, over HTTP).
 *
 * Every check takes the value as it travels: line ends already LF (the client sends them so),
 * and non-empty (an empty tag is "no value", handled by the callers).
 */
import type { Action, FieldDef, FieldFormat } from './catalogue.js';
import { parseWireDate, parseWireDateOrDateTime, parseWireDateTime } from './wire-dates.js';
import { nonXmlCharAt } from './xml-chars.js';

/** The custom field types a tenant can define (the guide's "Custom Fields"). */
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'url', 'picklist'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Why a value is refused; undefined from a check means it is taken. */
export type WireFault =
  | { readonly kind: 'not-xml'; readonly char: string }
  /** Whitespace only, where the guide says "Invalid: whitespace-only". */
  | { readonly kind: 'blank' }
  | { readonly kind: 'too-long'; readonly length: number; readonly max: number }
  | { readonly kind: 'too-short'; readonly length: number; readonly min: number }
  /** The field's format (or the custom field's type) does not take the value. */
  | { readonly kind: 'format' };

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

/** Length in characters (code points), as the guide's maximums count; no array of a 2 MB value. */
export function charLength(value: string): number {
  if (!HIGH_SURROGATE.test(value)) return value.length;
  let n = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n -= 1;
        i += 1;
      }
    }
  }
  return n;
}

/**
 * Whitespace only (or nothing): no value. A mandatory tag needs more than that (its error says
 * "the value for this tag is not passed"), and `notBlank` fields refuse it as a value.
 */
export function isBlank(value: string): boolean {
  return value.trim() === '';
}

// Character sets of the guide's tables, as FieldFormat documents them. The guide gives customer
// EMAIL a character set (A-Z a-z 0-9 . _ - @); it is read as one address of those characters.
const EMAIL = /^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$/;
// Task EMAIL: "Valid email address".
const TASK_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// "Valid: + ( ) / . - _ 0-9 space", "Invalid: whitespace-only, non-numeric characters".
const PHONE = /^[0-9+()/._\- ]+$/;
const PASSWORD = /^[A-Za-z0-9_]+$/;
const DIGITS = /^[0-9]+$/;
const FAQCATEGORY = /^[\p{L}\p{N} ~!@#$%^:";',.?/]+$/u;
const COMPANY_BAD = /[~<>]/;
const BOOLEAN = /^(?:true|false)$/i;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const URL = /^(?:https?|ftp):\/\/\S+$/i;

/** Whether a field's Y/N value may come in any case for this action (FAQ PRIVATE on MODIFY). */
function ynAnyCase(def: FieldDef, action: Action | undefined): boolean {
  return def.caseInsensitive === true || (action !== undefined && (def.caseInsensitiveOn?.includes(action) ?? false));
}

/**
 * Whether a value meets its field's format. Enumerations and agents pass here: they are judged
 * against the tenant's lists (matchEnum), which each side reads its own way.
 */
function formatAccepts(def: FieldDef, value: string, action?: Action): boolean {
  const format: FieldFormat = def.format;
  switch (format) {
    case 'text':
    case 'enum':
    case 'agent':
      return true;
    case 'company':
      return !COMPANY_BAD.test(value);
    case 'email':
      return EMAIL.test(value);
    case 'task-email':
      return TASK_EMAIL.test(value);
    case 'phone':
      return PHONE.test(value) && /[0-9]/.test(value);
    case 'password':
      return PASSWORD.test(value);
    case 'digits':
      return DIGITS.test(value);
    case 'date':
      return parseWireDate(value) !== undefined;
    case 'datetime':
      return parseWireDateTime(value) !== undefined;
    case 'date-or-datetime':
      return parseWireDateOrDateTime(value) !== undefined;
    case 'boolean':
      return BOOLEAN.test(value);
    case 'yn':
      return ynAnyCase(def, action) ? /^[yn]$/i.test(value) : /^[YN]$/.test(value);
    case 'faqcategory':
      return FAQCATEGORY.test(value);
  }
}

/**
 * The first rule of a standard field a non-empty value breaks, in the order the emulator checks
 * them: characters XML cannot carry, whitespace only, length, format. `action` matters only for
 * fields read in any case on some actions.
 */
export function checkWireValue(def: FieldDef, value: string, action?: Action): WireFault | undefined {
  const bad = nonXmlCharAt(value);
  if (bad !== undefined) return { kind: 'not-xml', char: bad.char };
  if (def.notBlank === true && isBlank(value)) return { kind: 'blank' };
  if (def.maxLength !== undefined || def.minLength !== undefined) {
    const length = charLength(value);
    if (def.maxLength !== undefined && length > def.maxLength) return { kind: 'too-long', length, max: def.maxLength };
    if (def.minLength !== undefined && length < def.minLength) return { kind: 'too-short', length, min: def.minLength };
  }
  return formatAccepts(def, value, action) ? undefined : { kind: 'format' };
}

/**
 * The first rule of a custom field a non-empty value breaks. Text is checked for length; number
 * and url for their form, then length; a date for its form (MMDDYYYY) alone; a picklist's value
 * against its list (matchEnum). `maxLength` undefined: the length is not known, not checked.
 */
export function checkCustomWireValue(type: CustomFieldType, value: string, maxLength?: number): WireFault | undefined {
  const bad = nonXmlCharAt(value);
  if (bad !== undefined) return { kind: 'not-xml', char: bad.char };
  const form = type === 'number' ? NUMBER.test(value) : type === 'url' ? URL.test(value) : type === 'date' ? parseWireDate(value) !== undefined : true;
  if (!form) return { kind: 'format' };
  if (maxLength !== undefined && (type === 'text' || type === 'number' || type === 'url')) {
    const length = charLength(value);
    if (length > maxLength) return { kind: 'too-long', length, max: maxLength };
  }
  return undefined;
}

// Each list as a set and folded to lower case once, not once per value.
interface ListIndex {
  readonly exact: ReadonlySet<string>;
  readonly folded: ReadonlyMap<string, string>;
}
const listIndexes = new WeakMap<readonly string[], ListIndex>();

function listIndex(values: readonly string[]): ListIndex {
  let index = listIndexes.get(values);
  if (!index) {
    const folded = new Map<string, string>();
    for (const v of values) if (!folded.has(v.toLowerCase())) folded.set(v.toLowerCase(), v);
    index = { exact: new Set(values), folded };
    listIndexes.set(values, index);
  }
  return index;
}

/**
 * The spelling a list keeps for a value, or undefined when the value is not in it. `active` is
 * the list's active values only (a deactivated value is refused in writes). Enumerations and
 * picklists match in any case (the guide sends `default` for Default) and are stored as the
 * tenant spells them; agent and group ids match exactly (`anyCase: false`). The list should be
 * the same array from call to call: its index is kept.
 */
export function matchEnum(value: string, active: readonly string[], anyCase = true): string | undefined {
  const index = listIndex(active);
  if (index.exact.has(value)) return value;
  return anyCase ? index.folded.get(value.toLowerCase()) : undefined;
}
