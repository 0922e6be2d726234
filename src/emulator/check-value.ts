import type { Action, FieldDef, TenantList } from '../protocol/catalogue.js';
import { checkCustomWireValue, checkWireValue, matchEnum, type WireFault } from '../protocol/wire-formats.js';
import { ApiError, E } from './api-error.js';
import { wireDateTimeToIso } from './dates.js';
import type { CustomFieldDef, ListValue, Tenant } from './tenant.js';

/**
 * The rules are the wire's (src/protocol/wire-formats.ts), the ones `wapi-bulk validate` applies
 * offline; here they become the guide's error replies.
 */

/** The error reply for a standard field's fault, per format (the guide's "Error Cases"). */
function fieldError(field: FieldDef, value: string, fault: WireFault): ApiError {
  switch (fault.kind) {
    case 'too-long':
    case 'too-short':
      return E.length(field.tag, fault.length, field.minLength ?? 1, field.maxLength ?? fault.length);
    case 'not-xml':
    case 'blank':
      return E.criterion(field.tag, value);
    case 'format':
      switch (field.format) {
        case 'date':
        case 'date-or-datetime':
          return E.dateFormat(field.tag);
        case 'boolean':
        case 'yn':
          return E.aliasValue(field.tag, value);
        default:
          return E.criterion(field.tag, value);
      }
  }
}

// The active values of each tenant list, one array per list so matchEnum keeps its index.
const activeLists = new WeakMap<readonly ListValue[], readonly string[]>();

function activeValues(tenant: Tenant, list: TenantList): readonly string[] {
  const all = tenant.list(list);
  let active = activeLists.get(all);
  if (!active) {
    active = all.filter((v) => v.active).map((v) => v.value);
    activeLists.set(all, active);
  }
  return active;
}

/** The tenant's spelling of an enumeration's value, or the error (a deactivated value too). */
function checkEnum(field: FieldDef, value: string, tenant: Tenant): string {
  const allowed = field.list ? activeValues(tenant, field.list) : (field.values ?? []);
  const found = matchEnum(value, allowed);
  if (found === undefined) throw E.aliasValue(field.tag, value);
  return found;
}

/** An agent or group id for ASSIGNEDTO/CREATEDBY: exactly as the tenant spells it, not deleted. */
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
 * canonical spelling of an enumeration, ISO text for DUEDATE, upper case for TRUE/FALSE and
 * Y/N, the value otherwise.
 */
export function checkFieldValue(field: FieldDef, value: string, tenant: Tenant, action: Action): string {
  if (value === '') throw E.aliasValue(field.tag, value);
  const fault = checkWireValue(field, value, action);
  if (fault) throw fieldError(field, value, fault);
  switch (field.format) {
    case 'datetime': {
      const iso = wireDateTimeToIso(value);
      if (iso === undefined) throw E.criterion(field.tag, value);
      return iso;
    }
    case 'boolean':
    case 'yn':
      return value.toUpperCase();
    case 'enum':
      return checkEnum(field, value, tenant);
    case 'agent':
      return checkAgent(field.tag, value, tenant);
    default:
      return value;
  }
}

/**
 * Check a custom field's non-empty value (tenant-defined type, length, picklist values); a
 * deleted field and an empty value are check-tags.ts's to answer.
 */
export function checkCustomValue(def: CustomFieldDef, value: string): string {
  const fault = checkCustomWireValue(def.type, value, def.maxLength);
  if (fault?.kind === 'too-long') throw E.customLength(def.tag, fault.length, fault.max);
  if (fault) throw def.type === 'date' ? E.dateFormat(def.tag) : E.tagValue(def.tag, value);
  if (def.type === 'picklist') {
    const found = matchEnum(value, def.values);
    if (found === undefined) throw E.tagValueEq(def.tag, value);
    return found;
  }
  return value;
}
