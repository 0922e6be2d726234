import type { Item, Plan } from './plan-types.js';
import { SortSpool, type SpooledRow } from './sort-spool.js';

export interface OrderStats {
  /** Records received more than once (kept once). */
  duplicates: number;
  /** Records without a usable id: not written (a server fault, reported). */
  withoutId: number;
}

/**
 * A plan's records, one at a time, in ascending id order, each once. An ordered plan streams
 * straight through (memory: the walk's in-flight replies); any other goes through a SortSpool
 * first, so its rows start coming only when the walk has finished. `onKeys` gets the tags of the
 * records before the first row: every tag of the first batch for a streaming plan, every tag of
 * every record for a spooled one.
 */
export async function* orderedRows(
  plan: Plan,
  keyOf: (item: Item) => number,
  stats: OrderStats,
  onKeys: (keys: Iterable<string>) => void,
): AsyncGenerator<SpooledRow> {
  if (plan.ordered) {
    let last = Number.NEGATIVE_INFINITY;
    let first = true;
    for await (const batch of plan.batches) {
      if (first && batch.rows.length > 0) {
        const keys = new Set<string>();
        for (const row of batch.rows) for (const key of Object.keys(row)) keys.add(key);
        onKeys(keys);
        first = false;
      }
      for (const item of batch.rows) {
        const id = keyOf(item);
        if (!Number.isSafeInteger(id)) {
          stats.withoutId++;
          continue;
        }
        if (id === last) {
          stats.duplicates++;
          continue;
        }
        // The planner promised ascending ids; anything else is a bug, not data to hide.
        if (!(id > last)) throw new Error(`internal: record ${id} came after ${last} in an ordered export`);
        last = id;
        yield { item, counted: batch.counted };
      }
    }
    if (first) onKeys([]);
    return;
  }
  const spool = new SortSpool(keyOf);
  try {
    for await (const batch of plan.batches) spool.add(batch.rows, batch.counted);
    stats.duplicates += spool.duplicates;
    stats.withoutId += spool.withoutId;
    onKeys(spool.keys);
    yield* spool.drain();
  } finally {
    spool.close();
  }
}
