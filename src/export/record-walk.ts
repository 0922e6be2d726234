/**
 * Every record of an object (or those a filter keeps), in ascending id order, each once: the
 * planner's walk with the reply cap learnt on the way. Export writes the rows to CSV;
 * reconcile spools them to compare with a source file. The caller owns the client.
 */
import type { WapiClient } from '../client/wapi-client.js';
import type { ObjectDef } from '../protocol/catalogue.js';
import { todayIn } from '../mapping/date-format.js';
import { orderedRows, type OrderStats } from './ordered-rows.js';
import { planCustomers } from './plan-customers.js';
import { planFaqCategories, planFaqs } from './plan-faqs.js';
import { planFollowups } from './plan-followups.js';
import type { FailedRange, Item, Plan, PlanContext, PlanStats, Tag } from './plan-types.js';
import { planWindows } from './plan-windows.js';
import type { RecordFilter } from './record-filter.js';
import { recordKey } from './record-key.js';
import { probeCap, ReplyCap } from './reply-cap.js';
import type { SpooledRow } from './sort-spool.js';

export interface WalkOptions {
  readonly client: WapiClient;
  readonly object: ObjectDef;
  readonly filter: RecordFilter;
  /** --max-items N, or undefined to learn the cap. */
  readonly maxItems?: number | undefined;
  /** A cap already learnt (reconcile's estimate probed it): no second probe. */
  readonly cap?: ReplyCap | undefined;
  readonly concurrency: number;
  /** The server's time zone: which day "today" is for open windows. */
  readonly timeZone: string;
  readonly now: Date;
  readonly onFailure: (failure: FailedRange) => void;
  readonly onQuery?: ((tags: readonly Tag[]) => void) | undefined;
  readonly warn?: ((message: string) => void) | undefined;
  /** Cancels the walk: the requests in flight stop, and rows() throws WAPI_ABORTED. */
  readonly signal?: AbortSignal | undefined;
}

export interface RecordWalk {
  readonly plan: Plan;
  readonly stats: PlanStats;
  readonly cap: ReplyCap;
  readonly order: OrderStats;
  readonly keyOf: (item: Item) => number;
  /** ITEMs received in all replies so far. */
  readonly itemsReceived: () => number;
  /** The records, once each, in ascending id order; `onKeys` gets the tags seen before the first. */
  rows(onKeys: (keys: Iterable<string>) => void): AsyncGenerator<SpooledRow>;
}

/** Learn the cap (unless given), then plan the walk. Nothing is read until `rows()` is iterated. */
export async function startWalk(options: WalkOptions): Promise<RecordWalk> {
  const { client, object, signal } = options;
  const cap = options.cap ?? new ReplyCap(options.maxItems);
  if (options.cap === undefined && !cap.known) await probeCap(async (name, tags) => (await client.call({ object: name, action: 'GET', tags }, { signal })).items, object.name, cap);
  const stats: PlanStats = { ranges: 0, bisections: 0, failedRanges: 0 };
  let received = 0;
  const ctx: PlanContext = {
    get maxItems() {
      return cap.value;
    },
    concurrency: options.concurrency,
    stats,
    query: async (tags) => {
      options.onQuery?.(tags);
      const reply = await client.call({ object: object.name, action: 'GET', tags }, { signal });
      cap.observe(reply.items.length);
      received += reply.items.length;
      return reply.items;
    },
    send: async (name, action, tags) => (await client.call({ object: name, action, tags }, { signal })).items,
    onFailure: options.onFailure,
    warn: options.warn,
  };
  const plan = await makePlan(object, ctx, options.filter, todayIn(options.timeZone, options.now));
  const keyOf = recordKey(object.name, object.idTag);
  const order: OrderStats = { duplicates: 0, withoutId: 0 };
  return {
    plan,
    stats,
    cap,
    order,
    keyOf,
    itemsReceived: () => received,
    rows: (onKeys) => orderedRows(plan, keyOf, order, onKeys),
  };
}

async function makePlan(object: ObjectDef, ctx: PlanContext, filter: RecordFilter, today: number): Promise<Plan> {
  switch (object.name) {
    case 'CUSTOMER':
      return planCustomers(ctx, { filter });
    case 'CASE':
    case 'TASK':
      return planWindows(ctx, { object: object.name, filter, today });
    case 'FOLLOWUP':
      return planFollowups(ctx, filter);
    case 'FAQ':
      return planFaqs(ctx, filter);
    case 'FAQCATEGORY':
      return planFaqCategories(ctx, filter);
  }
}
