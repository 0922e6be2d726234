/**
 * Validation of one record against the field catalogue before it is sent: what the server would
 * reject, caught offline so that a bad row costs no request and `wapi-bulk validate` works
 * without a tenant. Rules that need the tenant (lists, agents, status usability, custom fields)
 * apply only when `lists` carries them.
 */
import { CATALOGUE, type FieldDef, type ObjectName } from '../protocol/catalogue.js';
import { isBlank } from '../protocol/wire-formats.js';
import { checkCustomValue, checkFieldValue, type FieldProblem } from './check-value.js';
import type { CustomFieldDef, TenantLists } from './tenant-lists.js';
import { OBJECT_NAMES } from './field-rules.js';

export type { FieldProblem } from './check-value.js';

export interface ValidateOptions {
  /**
   * Tags that will be filled in after validation (references still to resolve, the id an upsert
   * finds): they count as present for the mandatory check, and their values are not checked.
   */
  readonly pending?: readonly string[];
}


/** What validation looks up on every row, built once per object. */
interface ObjectIndex {
  /** Upper-case tag or alias -> field. */
  readonly byTag: ReadonlyMap<string, FieldDef>;
  readonly mandatory: Readonly<Record<'ADD' | 'MODIFY', readonly FieldDef[]>>;
}

const indexes = new Map<ObjectName, ObjectIndex>();

function indexOf(object: ObjectName): ObjectIndex {
  let index = indexes.get(object);
  if (!index) {
    const byTag = new Map<string, FieldDef>();
    for (const f of CATALOGUE[object].fields) {
      byTag.set(f.tag, f);
      if (f.alias) byTag.set(f.alias, f);
    }
    const mandatory = (a: 'ADD' | 'MODIFY'): FieldDef[] => CATALOGUE[object].fields.filter((f) => f.actions[a] === 'M');
    index = { byTag, mandatory: { ADD: mandatory('ADD'), MODIFY: mandatory('MODIFY') } };
    indexes.set(object, index);
  }
  return index;
}

// The tenant's custom fields by upper-case tag, built once per definitions object.
const customIndexes = new WeakMap<object, ReadonlyMap<string, CustomFieldDef>>();

function customIndex(customs: Readonly<Record<string, CustomFieldDef>>): ReadonlyMap<string, CustomFieldDef> {
  let index = customIndexes.get(customs);
  if (!index) {
    index = new Map(Object.entries(customs).map(([t, d]) => [t.toUpperCase(), d]));
    customIndexes.set(customs, index);
  }
  return index;
}

const NO_PENDING: ReadonlySet<string> = new Set();

export function validateRecord(
  object: ObjectName,
  action: 'ADD' | 'MODIFY',
  fields: ReadonlyArray<readonly [string, string]>,
  lists?: TenantLists,
  options: ValidateOptions = {},
): FieldProblem[] {
  const { byTag, mandatory } = indexOf(object);
  const verb = `${action === 'ADD' ? 'Add' : 'Modify'} ${OBJECT_NAMES[object]}`;
  const problems: FieldProblem[] = [];
  let pending = NO_PENDING;
  if (options.pending && options.pending.length > 0) {
    pending = new Set(options.pending.map((t) => byTag.get(t.toUpperCase())?.tag ?? t.toUpperCase()));
  }
  /** Canonical tag -> value, for the rules between fields. */
  const values = new Map<string, string>();
  const customs = lists?.customFields?.[object];
  const customByUpper = customs ? customIndex(customs) : undefined;

  for (const [tag, value] of fields) {
    const upper = tag.toUpperCase();
    const field = byTag.get(upper);
    const canonical = field?.tag ?? upper;
    // README, "Protocol notes", "GET": a tag repeated in ADD or MODIFY is `Duplicate Tag 'TAG'`.
    if (values.has(canonical)) {
      problems.push({ field: canonical, code: 'DUPLICATE_TAG', message: `${canonical}: given twice (send each tag once)` });
      continue;
    }
    values.set(canonical, value);
    if (!field) {
      if (customByUpper && !customByUpper.has(canonical)) {
        problems.push({
          field: tag,
          code: 'UNKNOWN_FIELD',
          message: `${tag}: neither a standard field nor a custom field of this tenant's ${OBJECT_NAMES[object].toLowerCase()}s (check the spelling of the tag)`,
        });
        continue;
      }
      const custom = customByUpper?.get(canonical);
      if (custom && value !== '' && !pending.has(canonical)) {
        const problem = checkCustomValue(tag, custom, value);
        if (problem) problems.push(problem);
      }
      continue;
    }
    if (field.readOnly) {
      problems.push({ field: field.tag, code: 'READ_ONLY', message: `${field.tag}: set by the server, it cannot be sent (remove it)` });
      continue;
    }
    if (field.actions[action] === undefined) {
      problems.push({
        field: field.tag,
        code: 'TAG_NOT_VALID',
        message: `${field.tag}: not a field ${verb} takes (the tag '${field.tag}' is not a valid tag for the '${action}' on the '${object}')`,
      });
      continue;
    }
    if (value === '' || pending.has(field.tag)) continue;
    const problem = checkFieldValue(field, value, lists, action);
    if (problem) problems.push(problem);
  }

  for (const field of mandatory[action]) {
    if (pending.has(field.tag)) continue;
    const value = values.get(field.tag);
    if (value === undefined || isBlank(value)) {
      problems.push({ field: field.tag, code: 'MISSING_MANDATORY', message: `${field.tag}: ${verb} needs it, and it is missing or empty` });
    }
  }

  problems.push(...crossFieldProblems(object, action, values, lists));
  return problems;
}

/** A status's usability; labels match ignoring case, like the enumeration itself. */
function usabilityOf(table: TenantLists['caseStatusUsability'], status: string): string | undefined {
  if (!table) return undefined;
  if (Object.hasOwn(table, status)) return table[status];
  const folded = status.toLowerCase();
  return Object.entries(table).find(([label]) => label.toLowerCase() === folded)?.[1];
}

/** The rules between fields: the guide's "Inconsistent tags" and "TAGS Incompatible" errors. */
function crossFieldProblems(
  object: ObjectName,
  action: 'ADD' | 'MODIFY',
  values: ReadonlyMap<string, string>,
  lists: TenantLists | undefined,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const has = (tag: string): boolean => (values.get(tag) ?? '').trim() !== '';

  if (object === 'CUSTOMER' && has('AUTOPASSWD')) {
    const auto = (values.get('AUTOPASSWD') as string).toUpperCase();
    if (auto === 'FALSE' && !has('PASSWORD')) {
      problems.push({
        field: 'PASSWORD',
        code: 'PASSWORD_REQUIRED',
        message: "PASSWORD: AUTOPASSWD is FALSE, so PASSWORD is needed (The ALIAS 'AUTOPASSWD' is FALSE, but ALIAS 'PASSWORD' is not provided)",
      });
    }
    if (auto === 'TRUE' && has('PASSWORD')) {
      problems.push({
        field: 'PASSWORD',
        code: 'PASSWORD_WITH_AUTOPASSWD',
        message: 'PASSWORD: AUTOPASSWD is TRUE, so PASSWORD must not be sent (Inconsistent tags. AUTOPASSWORD is TRUE and PASSWORD is also provided)',
      });
    }
  }

  // "REMINDER needs to be used with DUEDATE". A Modify may lean on the DUEDATE the task has.
  if (object === 'TASK' && action === 'ADD' && has('REMINDER') && !has('DUEDATE')) {
    problems.push({
      field: 'REMINDER',
      code: 'REMINDER_WITHOUT_DUEDATE',
      message: 'REMINDER: needs a DUEDATE in the same row ("REMINDER needs to be used with DUEDATE"; give a due date, or leave REMINDER empty)',
    });
  }

  if (object === 'CASE') {
    const status = values.get('STATUS')?.trim() ?? '';
    const assigned = has('ASSIGNEDTO');
    // ASSIGNEDTO sent empty unassigns the case (README, "Readings of the guide"): on MODIFY it
    // needs a STATUS too, and never an open one, as the emulator rules.
    const unassigning = values.get('ASSIGNEDTO') === '';
    if ((assigned || (unassigning && action === 'MODIFY')) && status === '') {
      problems.push({
        field: 'ASSIGNEDTO',
        code: 'ASSIGNEE_WITHOUT_STATUS',
        message: 'ASSIGNEDTO: given without STATUS (TAGS Incompatible. ASSIGNEDTO passed but no STATUS is passed); map STATUS too',
      });
    }
    const usability = status === '' ? undefined : usabilityOf(lists?.caseStatusUsability, status);
    if (usability === 'OPN' && unassigning) {
      problems.push({
        field: 'ASSIGNEDTO',
        code: 'STATUS_NEEDS_ASSIGNEE',
        message: `ASSIGNEDTO: empty, with STATUS "${status}", an open status that needs an agent (TAGS Incompatible. EMPTY ASSIGNEDTO passed with STATUS = OPEN)`,
      });
    } else if (usability === 'OPN' && !assigned && action === 'ADD') {
      problems.push({
        field: 'ASSIGNEDTO',
        code: 'STATUS_NEEDS_ASSIGNEE',
        message: `ASSIGNEDTO: STATUS "${status}" is an open status and needs an agent (TAGS Incompatible. The usability of STATUS is OPN, but no ASSIGNEDTO passed)`,
      });
    }
    if (usability === 'UNA' && assigned) {
      problems.push({
        field: 'ASSIGNEDTO',
        code: 'STATUS_FORBIDS_ASSIGNEE',
        message: `ASSIGNEDTO: STATUS "${status}" is an unassigned status, so the case cannot have an agent (TAGS Incompatible. ASSIGNEDTO passed with STATUS = ${status})`,
      });
    }
  }
  return problems;
}
