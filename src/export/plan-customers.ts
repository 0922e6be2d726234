import { blockAt, blockEnd, blockQueryValue, DensityEstimate, nextRootSize, remainderBlocks, type IdBlock } from './id-blocks.js';
import { itemId, tryQuery, type Batch, type Item, type Plan, type PlanContext } from './plan-types.js';
import { walkOrdered, type Step } from './walk.js';
import { readSummary } from './summary-query.js';
import { acceptItem, type RecordFilter } from './record-filter.js';
import { windowTags } from './day-windows.js';

export interface CustomerPlanOptions {
  readonly filter: RecordFilter;
}

interface BlockNode {
  readonly block: IdBlock;
  /** The first id not yet known: ids below it in the block came with an earlier reply. */
  readonly from: number;
  readonly root: boolean;
}

interface BlockResult {
  readonly rows: Item[];
  readonly node: BlockNode;
  readonly count: number;
}

/**
 * Customers: the summary's [FIRSTID, LASTID] walked in ascending decimal blocks queried as
 * ACCOUNTNUM prefix wildcards (the only id range the API can express: the README's "Protocol notes" list
 * ACCOUNTNUM among the `%` tags). Block sizes are powers of ten chosen by a cost model
 * (id-blocks.ts bestBlockSize) from the density of records per id: first the summary's (TOTAL
 * over the id span), then what the replies show. A full reply keeps its records (a reply holds
 * the lowest ids first: README, "Protocol notes") and only the rest of its block is walked again, in blocks
 * ten times smaller. Blocks ascend and never overlap, so records come out in id order.
 */
export async function planCustomers(ctx: PlanContext, options: CustomerPlanOptions): Promise<Plan> {
  const { filter } = options;
  const summary = await readSummary(ctx);
  const filtered = Object.values(filter).some((v) => v !== undefined);
  const baseTags = [
    ...windowTags(filter.created ?? {}, 'FROMCREATEDATE', 'TOCREATEDATE'),
    ...windowTags(filter.modified ?? {}, 'FROMLASTMODDATE', 'TOLASTMODDATE'),
  ];
  const lo = Math.max(summary.firstId, filter.fromId ?? 0);
  const hi = Math.min(summary.lastId, filter.toId ?? Number.MAX_SAFE_INTEGER);
  const empty = summary.total === 0 || lo > hi;
  const span = Math.max(1, summary.lastId - summary.firstId + 1);
  // The summary's density is the prior; filters (dates) make the real one lower, and the
  // replies correct it as the walk goes.
  const density = new DensityEstimate(summary.total / span, Math.min(span, 1000));

  function* roots(): Generator<BlockNode> {
    let x = lo;
    while (!empty && x <= hi) {
      const block = blockAt(x, nextRootSize(x, density.value(), ctx.maxItems));
      yield { block, from: x, root: true };
      x = blockEnd(block) + 1;
    }
  }

  const run = async (node: BlockNode): Promise<Step<BlockNode, BlockResult>> => {
    const tags = [...baseTags, ['ACCOUNTNUM', blockQueryValue(node.block)] as const];
    const items = await tryQuery(ctx, tags);
    if (items === undefined) return { result: { rows: [], node, count: 0 }, children: [] };
    const last = Math.min(blockEnd(node.block), hi);
    const rows = items
      .filter((item) => {
        const id = itemId(item, 'ACCOUNTNUM');
        return id >= node.from && id <= last && acceptItem(filter, item, 'ACCOUNTNUM');
      })
      .sort((a, b) => itemId(a, 'ACCOUNTNUM') - itemId(b, 'ACCOUNTNUM'));
    let children: BlockNode[] = [];
    const end = blockEnd(node.block);
    if (items.length < ctx.maxItems) {
      density.observe(items.filter((i) => itemId(i, 'ACCOUNTNUM') <= end).length, end - node.from + 1);
    } else {
      // A full reply lists the lowest matching ids first, and a prefix also matches ids of other
      // lengths: shorter ones (lower) may crowd the block's own out of the reply, longer ones
      // (higher) come after them. So: an id past the block means the block is complete; else
      // what is known runs to the highest id inside the block (found in review: a 9-digit block
      // re-read the 8-digit ids its prefix matched, out of order).
      const ids = items.map((i) => itemId(i, 'ACCOUNTNUM'));
      const inBlock = ids.filter((id) => id >= node.block.start && id <= end);
      const m = ids.some((id) => id > end) ? end : Math.max(node.from - 1, ...inBlock);
      density.observe(ctx.maxItems, Math.max(1, Math.min(m, end) - node.from + 1));
      children = remainderBlocks(node.block, m)
        .filter((b) => b.start <= hi)
        .map((b) => ({ block: b, from: Math.max(b.start, m + 1), root: false }));
      if (children.length > 0) ctx.stats.bisections++;
    }
    return { result: { rows, node, count: items.length }, children };
  };

  async function* batches(): AsyncGenerator<Batch> {
    for await (const result of walkOrdered(roots(), run, ctx.concurrency)) {
      if (result.rows.length > 0) yield { rows: result.rows, counted: true };
    }
  }

  return {
    ordered: true,
    apiTotal: summary.total,
    expectedTotal: filtered ? undefined : summary.total,
    batches: batches(),
  };
}
