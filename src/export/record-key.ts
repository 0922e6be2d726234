import type { ObjectName } from '../protocol/catalogue.js';
import { itemId, type Item } from './plan-types.js';

/**
 * The number that orders and de-duplicates an object's records: its id, except for follow-ups,
 * whose FOLLOWUPNUM counts within its case (the guide's reply shows FOLLOWUPNUM 3 beside
 * FOLLOWUPID 5): they go by FOLLOWUPID, the tenant-wide id. A reply without FOLLOWUPID falls
 * back to CASENUM and FOLLOWUPNUM together (case number times a million plus the number).
 */
export function recordKey(object: ObjectName, idTag: string): (item: Item) => number {
  if (object !== 'FOLLOWUP') return (item) => itemId(item, idTag);
  return (item) => {
    const id = itemId(item, 'FOLLOWUPID');
    if (Number.isSafeInteger(id)) return id;
    return itemId(item, 'CASENUM') * 1_000_000 + itemId(item, 'FOLLOWUPNUM');
  };
}

/** The tag --from-id/--to-id compare with. */
export function filterIdTag(object: ObjectName, idTag: string): string {
  return object === 'FOLLOWUP' ? 'FOLLOWUPID' : idTag;
}
