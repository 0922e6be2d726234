import { hintFromItems, splitWindow, windowTags, type DayWindow } from './day-windows.js';
import { describeTags, tryQuery, type Batch, type Item, type Plan, type PlanContext, type Tag } from './plan-types.js';
import { acceptItem, type RecordFilter } from './record-filter.js';
import { walkOrdered, type Step } from './walk.js';

interface TrieNode {
  /** Leading digits of the case numbers this node covers. */
  readonly prefix: string;
  /** Only the case numbered `prefix` itself (no wildcard). */
  readonly exact: boolean;
  readonly created: DayWindow;
}

/** The case-number value of a node: `123%` covers 123, 1230..1239, 12300..., `123` only 123. */
export function trieValue(node: { prefix: string; exact: boolean }): string {
  return node.exact ? node.prefix : `${node.prefix}%`;
}

/**
 * The nodes that replace a full `prefix%`: the case `prefix` itself and `prefix0%`..`prefix9%`
 * (from the root: `1%`..`9%`, case numbers have no leading zero). Together they cover exactly
 * the case numbers `prefix%` covers.
 */
export function trieChildren(prefix: string): Array<{ prefix: string; exact: boolean }> {
  const out: Array<{ prefix: string; exact: boolean }> = prefix === '' ? [] : [{ prefix, exact: true }];
  for (let d = prefix === '' ? 1 : 0; d <= 9; d++) out.push({ prefix: `${prefix}${d}`, exact: false });
  return out;
}

/**
 * Follow-ups: a GET needs CASENUM and "wildcard search is limited to case numbers" (the
 * guide), so the walk goes down the decimal trie of case numbers: `%` (every case), then, for
 * a full reply, the case itself and its ten longer prefixes. One request thus reads the
 * follow-ups of many cases, and the number of requests follows the number of follow-ups, not of
 * cases (a tenant whose cases have no follow-ups costs one request). A single case with more
 * follow-ups than max-items is split by creation day. The trie needs no case list: it covers
 * hidden cases (created by deleted agents) as well.
 * Output is grouped by case, not in follow-up id order: the caller sorts.
 */
export async function planFollowups(ctx: PlanContext, filter: RecordFilter): Promise<Plan> {
  const base = filter.created ?? {};

  const run = async (node: TrieNode): Promise<Step<TrieNode, readonly Item[]>> => {
    const tags: Tag[] = [['CASENUM', trieValue(node)], ...windowTags(node.created, 'FROMCREATEDATE', 'TOCREATEDATE')];
    const items = await tryQuery(ctx, tags);
    if (items === undefined) return { result: [], children: [] };
    const rows = items.filter((item) => acceptItem(filter, item, 'FOLLOWUPID'));
    if (items.length < ctx.maxItems) return { result: rows, children: [] };
    ctx.stats.bisections++;
    if (!node.exact) return { result: rows, children: trieChildren(node.prefix).map((c) => ({ ...c, created: node.created })) };
    const windows = splitWindow(node.created, hintFromItems(items));
    if (windows) return { result: rows, children: windows.map((created) => ({ ...node, created })) };
    ctx.stats.failedRanges++;
    ctx.onFailure({
      query: describeTags(tags),
      code: 'EXPORT_UNSPLITTABLE',
      message: `one case has more than max-items (${ctx.maxItems}) follow-ups created on one day; the API offers no narrower query`,
    });
    return { result: rows, children: [] };
  };

  async function* batches(): AsyncGenerator<Batch> {
    const roots = [{ prefix: '', exact: false, created: base }][Symbol.iterator]();
    for await (const rows of walkOrdered(roots, run, ctx.concurrency)) if (rows.length > 0) yield { rows, counted: false };
  }

  return { ordered: false, apiTotal: undefined, expectedTotal: undefined, batches: batches() };
}
