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
  for (const field of replyFields(object)) {
    if (field.tag === object.idTag) {
      item.push([field.tag, String(row.id)]);
      continue;
    }
    const value = row[field.tag];
    const text = value === null || value === undefined ? '' : String(value);
    item.push([field.tag, TIMESTAMP_FIELDS.has(field.tag) ? toWireTimestamp(text) : text]);
  }
  if (object.customFields) {
    const custom = JSON.parse(row.custom) as Record<string, string>;
    for (const def of tenant.customFields(object.name)) {
      if (!def.deleted) item.push([def.tag, custom[def.tag] ?? '']);
    }
  }
  return item;
}
