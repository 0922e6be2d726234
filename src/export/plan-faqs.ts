import { hintFromItems, splitWindow, windowTags, type DayWindow } from './day-windows.js';
import { maxId, describeTags, stopsTheWalk, tryQuery, type Batch, type Item, type Plan, type PlanContext, type Tag } from './plan-types.js';
import { acceptItem, type RecordFilter } from './record-filter.js';
import { walkOrdered, type Step } from './walk.js';

interface FaqNode {
  /** undefined: the whole library (`STRING=%`). */
  readonly category?: string;
  readonly created: DayWindow;
}

function failure(ctx: PlanContext, tags: readonly Tag[], message: string): void {
  ctx.stats.failedRanges++;
  ctx.onFailure({ query: describeTags(tags), code: 'EXPORT_UNSPLITTABLE', message });
}

/**
 * FAQ categories: one GET returns them all. A full reply is completed from LIST FAQCATEGORY
 * (which names every category) with exact FAQCATID GETs for the ids above the reply's highest.
 */
export async function planFaqCategories(ctx: PlanContext, filter: RecordFilter): Promise<Plan> {
  async function* batches(): AsyncGenerator<Batch> {
    const items = await tryQuery(ctx, []);
    if (items === undefined) return;
    yield { rows: items.filter((i) => acceptItem(filter, i, 'FAQCATID')), counted: false };
    if (items.length < ctx.maxItems) return;
    ctx.stats.bisections++;
    const m = maxId(items, 'FAQCATID');
    let listed: readonly Item[];
    try {
      listed = await ctx.send('FAQCATEGORY', 'LIST', []);
    } catch (error) {
      if (stopsTheWalk(error)) throw error;
      failure(ctx, [], `the reply holds max-items (${ctx.maxItems}) categories and LIST FAQCATEGORY failed: ${(error as Error).message}`);
      return;
    }
    for (const item of listed) {
      const id = Number(item['FAQCATID']);
      if (!(id > m)) continue;
      const more = await tryQuery(ctx, [['FAQCATID', String(id)]]);
      if (more) yield { rows: more.filter((i) => acceptItem(filter, i, 'FAQCATID')), counted: false };
    }
  }
  return { ordered: false, apiTotal: undefined, expectedTotal: undefined, batches: batches() };
}

/**
 * FAQs: `STRING=%` reads the whole library in one request ("Use <STRING>%<STRING> to fetch all
 * FAQs in the FAQ library"). When that is full, the walk goes category by category (from LIST
 * FAQCATEGORY, which has no cap in the guide) and splits a full category by creation day.
 */
export async function planFaqs(ctx: PlanContext, filter: RecordFilter): Promise<Plan> {
  const created = filter.created ?? {};
  let categories: string[] | undefined;

  const run = async (node: FaqNode): Promise<Step<FaqNode, readonly Item[]>> => {
    const tags: Tag[] = [
      node.category === undefined ? ['STRING', '%'] : ['FAQCATID', node.category],
      ...windowTags(node.created, 'FROMCREATEDATE', 'TOCREATEDATE'),
    ];
    const items = await tryQuery(ctx, tags);
    if (items === undefined) return { result: [], children: [] };
    const rows = items.filter((item) => acceptItem(filter, item, 'FAQID'));
    if (items.length < ctx.maxItems) return { result: rows, children: [] };
    ctx.stats.bisections++;
    if (node.category === undefined) {
      try {
        categories ??= (await ctx.send('FAQCATEGORY', 'LIST', [])).map((i) => i['FAQCATID'] ?? '').filter((v) => v !== '');
      } catch (error) {
        if (stopsTheWalk(error)) throw error;
        failure(ctx, tags, `the reply holds max-items (${ctx.maxItems}) FAQs and LIST FAQCATEGORY failed: ${(error as Error).message}`);
        return { result: rows, children: [] };
      }
      return { result: rows, children: categories.map((category) => ({ category, created: node.created })) };
    }
    const windows = splitWindow(node.created, hintFromItems(items));
    if (windows) return { result: rows, children: windows.map((w) => ({ ...node, created: w })) };
    failure(ctx, tags, `one FAQ category has more than max-items (${ctx.maxItems}) FAQs created on one day; the API offers no narrower query`);
    return { result: rows, children: [] };
  };

  async function* batches(): AsyncGenerator<Batch> {
    const roots = [{ created }][Symbol.iterator]();
    for await (const rows of walkOrdered<FaqNode, readonly Item[]>(roots, run, ctx.concurrency)) {
      if (rows.length > 0) yield { rows, counted: false };
    }
  }
  return { ordered: false, apiTotal: undefined, expectedTotal: undefined, batches: batches() };
}
