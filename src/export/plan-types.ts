/**
 * What the planners share: the query function they are given, their counters, and how a range
 * that failed is reported. Planners never see the client or the CSV: they turn a
 * `query(tags) => items` function into batches of records.
 */

export type Tag = readonly [tag: string, value: string];
export type Item = Readonly<Record<string, string>>;

/** One GET of the planner's object; throws the client's error when it fails after retries. */
export type QueryFn = (tags: readonly Tag[]) => Promise<readonly Item[]>;

export interface FailedRange {
  /** The query, as `TAG=value TAG=value`. */
  readonly query: string;
  readonly code: string;
  readonly message: string;
}

export interface PlanStats {
  /** Queries the planner sent (each may have cost more than one request after retries). */
  ranges: number;
  /** Full replies that had to be narrowed. */
  bisections: number;
  failedRanges: number;
}

/** Any other command the planner needs (LIST AGENTS, GET FAQCATEGORY...); throws on failure. */
export type SendFn = (object: string, action: string, tags: readonly Tag[]) => Promise<readonly Item[]>;

export interface PlanContext {
  readonly query: QueryFn;
  readonly send: SendFn;
  /** The server's reply cap: a reply with this many ITEMs may hide more. */
  readonly maxItems: number;
  readonly concurrency: number;
  readonly stats: PlanStats;
  readonly onFailure: (failure: FailedRange) => void;
  /** Something the walk had to do differently, for the log (not a failure: nothing is lost). */
  readonly warn?: ((message: string) => void) | undefined;
}

/** Records from one reply. `counted`: whether the summary's TOTAL counts them. */
export interface Batch {
  readonly rows: readonly Item[];
  readonly counted: boolean;
}

/** What a planner yields: records in batches, and whether the batches are in ascending id order. */
export interface Plan {
  /** True when the batches come out in ascending id order (no sort needed). */
  readonly ordered: boolean;
  /** The summary's TOTAL the written count must match, or undefined when none applies. */
  readonly expectedTotal: number | undefined;
  /** Where the summary's TOTAL came from, for the report. */
  readonly apiTotal: number | undefined;
  readonly batches: AsyncIterable<Batch>;
}

export function describeTags(tags: readonly Tag[]): string {
  return tags.map(([t, v]) => `${t}=${v}`).join(' ');
}

/**
 * Errors that stop a walk rather than fail one range: a refused login or a missing access right
 * (nothing else will work either) and a cancelled run (WAPI_ABORTED: the caller's signal).
 */
export function stopsTheWalk(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'WAPI_AUTH' || code === 'WAPI_PERMISSION' || code === 'WAPI_ABORTED';
}

/** Send a query; on failure report it as a failed range and return undefined. */
export async function tryQuery(ctx: PlanContext, tags: readonly Tag[]): Promise<readonly Item[] | undefined> {
  ctx.stats.ranges++;
  try {
    return await ctx.query(tags);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (stopsTheWalk(error)) throw error;
    ctx.stats.failedRanges++;
    ctx.onFailure({
      query: describeTags(tags),
      code: typeof code === 'string' ? code : 'UNKNOWN',
      message: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

/** The numeric id of a record, or NaN. */
export function itemId(item: Item, idTag: string): number {
  const raw = item[idTag];
  return raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw.trim());
}

export function maxId(items: readonly Item[], idTag: string): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const id = itemId(item, idTag);
    if (id > max) max = id;
  }
  return max;
}
