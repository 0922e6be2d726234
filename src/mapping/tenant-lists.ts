/**
 * What validation knows about a tenant: the active values of its lists (read once at the start
 * of a run with LIST and CUSTOMFIELD look-ups), its agents and groups, the usability of its
 * case statuses, and its custom fields. Every part is optional: what is absent is not checked.
 */
import type { ObjectName, TenantList } from '../protocol/catalogue.js';

/** A status's usability in the tenant's configuration: unassigned, open or closed. */
export type StatusUsability = 'UNA' | 'OPN' | 'CLS';

export type CustomFieldType = 'text' | 'number' | 'date' | 'url' | 'picklist';

export interface CustomFieldDef {
  readonly type: CustomFieldType;
  readonly maxLength?: number;
  /** Active picklist values. */
  readonly values?: readonly string[];
  readonly unique?: boolean;
}

export type TenantLists = Partial<Record<TenantList, readonly string[]>> & {
  /** Agent ids valid in ASSIGNEDTO/CREATEDBY. */
  readonly agents?: readonly string[];
  /** Group ids valid in ASSIGNEDTO. */
  readonly groups?: readonly string[];
  /** Case status label -> usability: OPN needs ASSIGNEDTO, UNA forbids it. */
  readonly caseStatusUsability?: Readonly<Record<string, StatusUsability>>;
  /** Custom fields per object, by tag. When an object's entry is given, other tags are unknown. */
  readonly customFields?: Partial<Record<ObjectName, Readonly<Record<string, CustomFieldDef>>>>;
};
