import { replyFields, type ObjectDef } from '../protocol/catalogue.js';
import { toWireTimestamp } from './dates.js';
import type { ReplyStyle } from './options.js';
import type { StoredRow } from './store.js';
import type { Tenant } from './tenant.js';

/** Fields the store keeps as ISO timestamps and replies write as `MMDDYYYY HH:MM:SS`. */
export const TIMESTAMP_FIELDS = new Set(['CREATEDDATE', 'LASTMODDATE', 'ASSIGNEDDATE', 'CLOSEDDATE', 'LASTACTDATE', 'DUEDATE']);

export type Item = Array<[string, string]>;

/** Where each reply tag of an object comes from: the row id, a follow-up's number, a column, nothing. */
interface Column {
  readonly tag: string;
  readonly from: 'id' | 'num' | 'timestamp' | 'text' | 'empty';
  /** The stored column, when it is not the tag itself. */
  readonly column?: string;
}

/**
 * The customer ITEM of a live tenant, from a reply captured on one (README, "The emulator"):
 * this order, PBX (not in the guide, never filled here), `customertype` in lower case, and no
 * PASSWORD, AUTOPASSWD, CREATEDDATE or LASTMODDATE.
 */
const LIVE_CUSTOMER: readonly Column[] = [
  { tag: 'FIRSTNAME', from: 'text' },
  { tag: 'LASTNAME', from: 'text' },
  { tag: 'COMPANY', from: 'text' },
  { tag: 'PBX', from: 'empty' },
  { tag: 'COMMENTS', from: 'text' },
  { tag: 'ACCOUNTNUM', from: 'id' },
  { tag: 'customertype', from: 'text', column: 'CUSTOMERTYPE' },
  ...['EMAIL', 'VOICE', 'ALTERNATIVE', 'FAX'].map((tag) => ({ tag, from: 'text' as const })),
  ...[1, 2].flatMap((n) => ['STR1', 'STR2', 'CITY', 'STATE', 'ZIP', 'COUNTRY'].map((part) => ({ tag: `ADDR${n}${part}`, from: 'text' as const }))),
];

// Worked out once per object and style (and per tenant for the custom fields): GET renders every row.
const plans = new Map<ReplyStyle, WeakMap<ObjectDef, readonly Column[]>>([
  ['guide', new WeakMap()],
  ['live', new WeakMap()],
]);
const customTags = new WeakMap<Tenant, Map<string, readonly string[]>>();

function guidePlan(object: ObjectDef): Column[] {
  const followup = object.name === 'FOLLOWUP';
  // A follow-up's row id is its tenant-wide FOLLOWUPID; FOLLOWUPNUM counts within its case.
  return replyFields(object).map(({ tag }) => ({
    tag,
    from: followup && tag === 'FOLLOWUPNUM' ? 'num' : tag === object.idTag || (followup && tag === 'FOLLOWUPID') ? 'id' : TIMESTAMP_FIELDS.has(tag) ? 'timestamp' : 'text',
  }));
}

function planOf(object: ObjectDef, style: ReplyStyle): readonly Column[] {
  const byObject = plans.get(style) as WeakMap<ObjectDef, readonly Column[]>;
  let plan = byObject.get(object);
  if (!plan) {
    // The capture is of a customer; the other objects have no live sample, so both styles agree.
    plan = style === 'live' && object.name === 'CUSTOMER' ? LIVE_CUSTOMER : guidePlan(object);
    byObject.set(object, plan);
  }
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
 * A stored row as a GET reply ITEM: in the guide's style every reply field of the catalogue in
 * order, in the live style the captured layout (customers); an empty tag where no value; then
 * the tenant's custom fields by their configured tag (README, "Protocol notes").
 */
export function renderItem(object: ObjectDef, row: StoredRow, tenant: Tenant, style: ReplyStyle = 'guide'): Item {
  const item: Item = [];
  for (const { tag, from, column } of planOf(object, style)) {
    if (from === 'id') {
      item.push([tag, String(row.id)]);
    } else if (from === 'num') {
      item.push([tag, String(row['num'])]);
    } else if (from === 'empty') {
      item.push([tag, '']);
    } else {
      const value = row[column ?? tag];
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
