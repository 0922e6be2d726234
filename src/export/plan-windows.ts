import { replyDay } from './dates.js';
import {
  dayWindows,
  hintFromItems,
  isSingleDay,
  nextWindowLength,
  splitValues,
  splitWindow,
  windowTags,
  type DayHint,
  type DayWindow,
} from './day-windows.js';
import { itemId, maxId, describeTags, tryQuery, type Batch, type Item, type Plan, type PlanContext, type Tag } from './plan-types.js';
import { acceptItem, type RecordFilter } from './record-filter.js';
import { partitionLadder, type Partition } from './partitions.js';
import { readSummary } from './summary-query.js';
import { walkOrdered, type Step } from './walk.js';

export type WindowObject = 'CASE' | 'TASK';

export interface WindowPlanOptions {
  readonly object: WindowObject;
  /** The export's limits; a `modified` window (incremental runs) makes the walk go by LASTMODDATE. */
  readonly filter: RecordFilter;
  /** Today (days since 1970-01-01): where an open "modified since" window is first cut. */
  readonly today: number;
}

/**
 * One part of the records that a GET shows only when asked. The guide: a task GET that does not
 * name CREATEDBY (ASSIGNEDTO) leaves out tasks created by (assigned to) deleted agents, and "your
 * search for all cases does not automatically yield cases created by deleted agents". So every
 * query is sent once per slice; the slices are disjoint and together hold every record. Only
 * the first slice is what the summary's TOTAL counts.
 */
export interface Slice {
  readonly name: string;
  readonly tags: readonly Tag[];
  readonly counted: boolean;
}

const DELETED_AGENTS = 'Deleted Agents';

export function slicesFor(object: WindowObject): Slice[] {
  const created: Tag = ['CREATEDBY', DELETED_AGENTS];
  const assigned: Tag = ['ASSIGNEDTO', DELETED_AGENTS];
  if (object === 'CASE') {
    return [
      { name: 'visible', tags: [], counted: true },
      { name: 'created by deleted agents', tags: [created], counted: false },
    ];
  }
  return [
    { name: 'visible', tags: [], counted: true },
    { name: 'created by deleted agents', tags: [created], counted: false },
    { name: 'assigned to deleted agents', tags: [assigned], counted: false },
    { name: 'created by and assigned to deleted agents', tags: [created, assigned], counted: false },
  ];
}

interface WindowNode {
  readonly kind: 'window';
  readonly slice: Slice;
  readonly created: DayWindow;
  readonly modified?: DayWindow;
  readonly parts: readonly Partition[];
  readonly root: boolean;
}

interface ScanNode {
  readonly kind: 'scan';
  readonly slice: Slice;
  readonly next: number;
  readonly upper: number;
  /**
   * For a hidden slice, `upper` (from the visible summary and the ids seen) is no bound: its
   * records may lie above it. The scan then goes on past `upper` until max-items ids in a row
   * come back empty, up to `hardUpper` (found in review: a crowded day of deleted agents' cases
   * above every visible id was read up to LASTID only, and the rest lost with exit 0).
   */
  readonly hardUpper: number;
  /** Consecutive ids that came back empty. */
  readonly emptyRun: number;
  /** Stop once a record created after this day shows up (ids grow with creation time). */
  readonly stopAfterDay?: number;
}

type Node = WindowNode | ScanNode;

interface NodeResult {
  readonly node: Node;
  readonly rows: Item[];
  readonly count: number;
}

/** Share of max-items a root window is sized to hold on average: room for uneven days. */
export const TARGET_FILL = 0.7;

/** Most exact-id GETs one scan step sends together (never more than --concurrency). */
const SCAN_BATCH = 8;

/**
 * Cases and tasks: no wildcard on CASENUM/TASKNUM (README, "Protocol notes", "GET"), so the walk goes by creation
 * day (or, for an incremental run, by modification day first).
 * - Roots: for the visible slice, windows sized from the summary's density between the creation
 *   days of FIRSTID and LASTID, plus open windows before and after; for the hidden slices (and
 *   a small tenant), one query for all time, since they are usually small.
 * - A full multi-day window is halved; a full single day is split with repeated-tag OR queries
 *   on ASSIGNEDTO, then CREATEDBY (partitions.ts: value sets that cover every record); what is
 *   still full falls back to exact-id GETs from the reply's highest id upwards, until a record
 *   created after that day appears.
 * Output is not in id order (windows are days, partitions interleave): the caller sorts.
 */
export async function planWindows(ctx: PlanContext, options: WindowPlanOptions): Promise<Plan> {
  const { object, filter } = options;
  const idTag = object === 'CASE' ? 'CASENUM' : 'TASKNUM';
  const summary = await readSummary(ctx);
  const slices = slicesFor(object);
  const filtered = Object.values(filter).some((v) => v !== undefined);
  const target = Math.max(1, ctx.maxItems * TARGET_FILL);

  const hint: { first?: number; last?: number } = {};
  if (summary.total > 0) {
    hint.first = await creationDay(ctx, idTag, summary.firstId);
    hint.last = summary.lastId === summary.firstId ? hint.first : await creationDay(ctx, idTag, summary.lastId);
  }
  let maxSeenId = summary.lastId;
  const scanned = new Map<string, Map<number, number | null>>();
  const ladders = new Map<string, Promise<readonly Partition[]>>();
  const ladderFor = (slice: Slice) => {
    let ladder = ladders.get(slice.name);
    if (!ladder) {
      ladder = partitionLadder(ctx, object, slice.tags);
      ladders.set(slice.name, ladder);
    }
    return ladder;
  };

  let rootLength = 1;
  let feedback: { length: number; count: number } | undefined;

  function* roots(): Generator<Node> {
    const span = filter.fromId !== undefined && filter.toId !== undefined ? filter.toId - filter.fromId + 1 : Infinity;
    if (span <= ctx.maxItems) {
      // A short id range: exact ids are cheaper than any window walk.
      for (const slice of slices) yield { kind: 'scan', slice, next: filter.fromId as number, upper: filter.toId as number, hardUpper: filter.toId as number, emptyRun: 0 };
      return;
    }
    const created = filter.created ?? {};
    for (const slice of slices.slice(1)) yield { kind: 'window', slice, created, modified: filter.modified, parts: [], root: false };
    const visible = slices[0] as Slice;
    if (filter.modified !== undefined || summary.total < ctx.maxItems || hint.first === undefined || hint.last === undefined) {
      yield { kind: 'window', slice: visible, created, modified: filter.modified, parts: [], root: false };
      return;
    }
    const first = Math.max(hint.first, created.from ?? hint.first);
    const last = Math.min(hint.last, (created.to ?? hint.last + 1) - 1);
    if (first > last) {
      yield { kind: 'window', slice: visible, created, parts: [], root: false };
      return;
    }
    if (created.from === undefined || created.from < first) {
      yield { kind: 'window', slice: visible, created: { from: created.from, to: first }, parts: [], root: false };
    }
    const perDay = summary.total / Math.max(1, hint.last - hint.first + 1);
    rootLength = Math.max(1, Math.floor(target / perDay));
    const length = () => {
      if (feedback) {
        rootLength = nextWindowLength(feedback.length, feedback.count, ctx.maxItems, target);
        feedback = undefined;
      }
      return rootLength;
    };
    for (const window of dayWindows(first, last, length)) yield { kind: 'window', slice: visible, created: window, parts: [], root: true };
    if (created.to === undefined || created.to > last + 1) {
      yield { kind: 'window', slice: visible, created: { from: last + 1, to: created.to }, parts: [], root: false };
    }
  }

  const windowQuery = (node: WindowNode): Tag[] => {
    const tags: Tag[] = [...node.slice.tags];
    if (node.modified) tags.push(...windowTags(node.modified, 'FROMLASTMODDATE', 'TOLASTMODDATE'));
    tags.push(...windowTags(node.created, 'FROMCREATEDATE', 'TOCREATEDATE'));
    for (const part of node.parts) for (const value of part.values) tags.push([part.tag, value]);
    // A GET without tags is the summary, not a search: "created since the year 1000" is all.
    if (tags.length === 0) tags.push(['FROMCREATEDATE', '01011000']);
    return tags;
  };

  const narrow = async (node: WindowNode, items: readonly Item[]): Promise<Node[] | undefined> => {
    if (node.modified && !isSingleDay(node.modified)) {
      const parts = splitWindow(node.modified, { last: options.today });
      if (parts) return parts.map((modified) => ({ ...node, modified, root: false }));
    }
    let created = node.created;
    // A record is created no later than it is last modified.
    const limit = node.modified && isSingleDay(node.modified) ? node.modified.to : undefined;
    if (limit !== undefined && (created.to === undefined || created.to > limit)) created = { from: created.from, to: limit };
    if (!isSingleDay(created)) {
      // Without a summary hint (a hidden slice of an empty tenant), the reply's dates will do.
      const hintNow: DayHint = hint.first === undefined ? hintFromItems(items) : hint;
      const parts = splitWindow(created, hintNow);
      return parts?.map((w) => ({ ...node, created: w, root: false }));
    }
    const ladder = await ladderFor(node.slice);
    const last = node.parts.at(-1);
    const halves = last ? splitValues(last.values) : undefined;
    if (last && halves) return halves.map((values) => ({ ...node, created, parts: [...node.parts.slice(0, -1), { tag: last.tag, values }], root: false }));
    const level = ladder[node.parts.length];
    if (level) {
      const groups = splitValues(level.values) ?? [level.values.slice()];
      return groups.map((values) => ({ ...node, created, parts: [...node.parts, { tag: level.tag, values }], root: false }));
    }
    const hardUpper = filter.toId ?? Number.MAX_SAFE_INTEGER;
    const upper = Math.min(Math.max(summary.lastId, maxSeenId), hardUpper);
    return [
      {
        kind: 'scan',
        slice: node.slice,
        next: maxId(items, idTag) + 1,
        upper,
        hardUpper: node.slice.counted ? upper : hardUpper,
        emptyRun: 0,
        stopAfterDay: created.from,
      },
    ];
  };

  const runWindow = async (node: WindowNode): Promise<Step<Node, NodeResult>> => {
    const tags = windowQuery(node);
    const items = await tryQuery(ctx, tags);
    if (items === undefined) return { result: { node, rows: [], count: 0 }, children: [] };
    maxSeenId = Math.max(maxSeenId, maxId(items, idTag));
    const rows = items.filter((item) => acceptItem(filter, item, idTag));
    if (items.length < ctx.maxItems) return { result: { node, rows, count: items.length }, children: [] };
    ctx.stats.bisections++;
    const children = await narrow(node, items);
    if (children === undefined) {
      ctx.stats.failedRanges++;
      ctx.onFailure({
        query: describeTags(tags),
        code: 'EXPORT_UNSPLITTABLE',
        message: `the reply holds max-items (${ctx.maxItems}) records and the API offers no narrower query for them`,
      });
    }
    return { result: { node, rows, count: items.length }, children: children ?? [] };
  };

  const runScan = async (node: ScanNode): Promise<Step<Node, NodeResult>> => {
    let seen = scanned.get(node.slice.name);
    if (!seen) scanned.set(node.slice.name, (seen = new Map()));
    const ids: number[] = [];
    const batch = Math.max(1, Math.min(SCAN_BATCH, ctx.concurrency));
    for (let id = node.next; id <= node.hardUpper && ids.length < batch; id++) ids.push(id);
    const replies = await Promise.all(
      ids.map(async (id) => {
        // Another scan of the same slice already looked here: its answer says whether to stop.
        if (seen.has(id)) return { id, items: [] as readonly Item[], day: seen.get(id) ?? undefined };
        const items = await tryQuery(ctx, [[idTag, String(id)], ...node.slice.tags]);
        const day = items?.[0] ? replyDay(items[0]['CREATEDDATE']) : undefined;
        if (items !== undefined) seen.set(id, items.length > 0 ? (day ?? null) : null);
        return { id, items: items ?? [], day };
      }),
    );
    const rows: Item[] = [];
    let stop = false;
    let emptyRun = node.emptyRun;
    for (const reply of replies) {
      for (const item of reply.items) if (itemId(item, idTag) === reply.id && acceptItem(filter, item, idTag)) rows.push(item);
      if (node.stopAfterDay !== undefined && reply.day !== undefined && reply.day > node.stopAfterDay) stop = true;
      emptyRun = reply.items.length === 0 && reply.day === undefined ? emptyRun + 1 : 0;
    }
    const next = (ids.at(-1) ?? node.hardUpper) + 1;
    const pastEnd = next > node.hardUpper || (next > node.upper && emptyRun >= ctx.maxItems);
    const children: Node[] = stop || pastEnd ? [] : [{ ...node, next, emptyRun }];
    return { result: { node, rows, count: rows.length }, children };
  };

  const run = (node: Node) => (node.kind === 'scan' ? runScan(node) : runWindow(node));

  async function* batches(): AsyncGenerator<Batch> {
    for await (const result of walkOrdered(roots(), run, ctx.concurrency)) {
      const node = result.node;
      if (node.kind === 'window' && node.root && node.created.from !== undefined && node.created.to !== undefined) {
        feedback = { length: node.created.to - node.created.from, count: result.count };
      }
      if (result.rows.length > 0) yield { rows: result.rows, counted: node.slice.counted };
    }
  }

  return {
    ordered: false,
    apiTotal: summary.total,
    expectedTotal: filtered ? undefined : summary.total,
    batches: batches(),
  };
}

/**
 * The creation day of one record, by an exact-id GET; undefined when it cannot be read. Only a
 * hint for sizing windows, so a failure costs requests, never records.
 */
async function creationDay(ctx: PlanContext, idTag: string, id: number): Promise<number | undefined> {
  ctx.stats.ranges++;
  try {
    const items = await ctx.query([[idTag, String(id)]]);
    return replyDay(items[0]?.['CREATEDDATE']);
  } catch {
    return undefined;
  }
}
