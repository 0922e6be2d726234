import { replyFields, type ObjectDef } from '../protocol/catalogue.js';
import { toWireTimestamp } from './dates.js';
import type { StoredRow } from './store.js';
import type { Tenant } from './tenant.js';

/** Fields the store keeps as ISO timestamps and replies write as `MMDDYYYY HH:MM:SS`. */
export const TIMESTAMP_FIELDS = new Set(['CREATEDDATE', 'LASTMODDATE', 'ASSIGNEDDATE', 'CLOSEDDATE', 'LASTACTDATE', 'DUEDATE']);

export type Item = Array<[string, string]>;

/**
 * A stored row as a GET reply ITEM: every reply field of the catalogue in order (empty tag where
 * no value), then the tenant's custom fields by their configured tag (DECISIONS.md "Replies").
 */
export function renderItem(object: ObjectDef, row: StoredRow, tenant: Tenant): Item {
  const item: Item = [];
  const followup = object.name === 'FOLLOWUP';
  for (const field of replyFields(object)) {
    if (followup && field.tag === 'FOLLOWUPNUM') {
      item.push([field.tag, String(row['num'])]);
      continue;
    }
    if (field.tag === object.idTag || (followup && field.tag === 'FOLLOWUPID')) {
      item.push([field.tag, String(row.id)]);
      continue;
    }
    const value = row[field.tag];
    const text = value === null || value === undefined ? '' : String(value);
    item.push([field.tag, TIMESTAMP_FIELDS.has(field.tag) ? toWireTimestamp(text) : text]);
  }
  // The guide's follow-up reply carries FOLLOWUPID (tenant-wide) beside FOLLOWUPNUM (within the
  // case). The catalogue does not list it yet; it goes after the catalogue's fields.
  if (followup && !item.some(([tag]) => tag === 'FOLLOWUPID')) item.push(['FOLLOWUPID', String(row.id)]);
  if (object.customFields) {
    const custom = JSON.parse(row.custom) as Record<string, string>;
    for (const def of tenant.customFields(object.name)) {
      if (!def.deleted) item.push([def.tag, custom[def.tag] ?? '']);
    }
  }
  return item;
}
