import { replyFields, type ObjectDef } from '../protocol/catalogue.js';
import { toWireTimestamp } from './dates.js';
import type { StoredRow } from './store.js';
import type { Tenant } from './tenant.js';

/** Fields the store keeps as ISO timestamps and replies write as `MMDDYYYY HH:MM:SS`. */
export const TIMESTAMP_FIELDS = new Set(['CREATEDDATE', 'LASTMODDATE', 'ASSIGNEDDATE', 'CLOSEDDATE', 'LASTACTDATE', 'DUEDATE']);

export type Item = Array<[string, string]>;

/** Where each reply tag of an object comes from: the row id, a follow-up's number, a column. */
interface Column {
  readonly tag: string;
  readonly from: 'id' | 'num' | 'timestamp' | 'text';
}

// Worked out once per object (and per tenant for the custom fields): GET renders every row.
const plans = new WeakMap<ObjectDef, readonly Column[]>();
const customTags = new WeakMap<Tenant, Map<string, readonly string[]>>();

function planOf(object: ObjectDef): readonly Column[] {
  let plan = plans.get(object);
  if (plan) return plan;
  const followup = object.name === 'FOLLOWUP';
  // A follow-up's row id is its tenant-wide FOLLOWUPID; FOLLOWUPNUM counts within its case.
  const columns: Column[] = replyFields(object).map(({ tag }) => ({
    tag,
    from: followup && tag === 'FOLLOWUPNUM' ? 'num' : tag === object.idTag || (followup && tag === 'FOLLOWUPID') ? 'id' : TIMESTAMP_FIELDS.has(tag) ? 'timestamp' : 'text',
  }));
  plan = columns;
  plans.set(object, plan);
  return plan;
}

function customTagsOf(tenant: Tenant, object: ObjectDef): readonly string[] {
  let byObject = customTags.get(tenant);
  if (!byObject) customTags.set(tenant, (byObject = new Map()));
  let tags = byObject.get(object.name);
  if (!tags) {
    tags = object.customFields ? tenant.customFields(object.name).filter((f) => !f.deleted).map((f) => f.tag) : [];
    byObject.set(object.name, tags);
  }
  return tags;
}

/**
 * A stored row as a GET reply ITEM: every reply field of the catalogue in order (empty tag where
 * no value), then the tenant's custom fields by their configured tag (DECISIONS.md "Replies").
 */
export function renderItem(object: ObjectDef, row: StoredRow, tenant: Tenant): Item {
  const item: Item = [];
  for (const { tag, from } of planOf(object)) {
    if (from === 'id') {
      item.push([tag, String(row.id)]);
    } else if (from === 'num') {
      item.push([tag, String(row['num'])]);
    } else {
      const value = row[tag];
      const text = value === null || value === undefined ? '' : String(value);
      item.push([tag, from === 'timestamp' ? toWireTimestamp(text) : text]);
    }
  }
  const custom = customTagsOf(tenant, object);
  if (custom.length > 0) {
    const values = row.custom === '{}' ? {} : (JSON.parse(row.custom) as Record<string, string>);
    for (const tag of custom) item.push([tag, values[tag] ?? '']);
  }
  return item;
}
