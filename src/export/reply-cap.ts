/**
 * The server's cap on ITEMs in one GET reply, which nobody knows for a real tenant. A reply holds
 * at most that many records and nothing marks that more exist (README, protocol notes), so the
 * exporter must know the cap to tell a complete reply from a cut one. Found in review: with the
 * cap assumed to be 1000, an export from a server capped at 7 wrote 7 of 228 customers.
 *
 * The cap is learnt: the empty GET gives TOTAL, and a GET that covers every id of that object
 * returns min(cap, TOTAL) records. Fewer than TOTAL: that number is the cap. As many: the cap is
 * at least TOTAL, and every reply of the run that is at least as long as the longest seen is
 * treated as possibly cut (narrowed), until a longer one raises the bound.
 */
import type { Item, Tag } from './plan-types.js';

/** Where a reply cap comes from (summary.json's `maxItems.source`). */
export type CapSource = 'given' | 'learnt' | 'at least';

export type SendGet = (object: string, tags: readonly Tag[]) => Promise<readonly Item[]>;

/** A GET that matches every record of an object the summary counts, and the summary's TOTAL. */
const FULL_COVERAGE: Readonly<Record<string, readonly Tag[]>> = {
  CUSTOMER: [['ACCOUNTNUM', '%']],
  CASE: [['FROMCREATEDATE', '01011000']],
  TASK: [['FROMCREATEDATE', '01011000']],
};

export class ReplyCap {
  /** The cap, when a reply proved it (or --max-items said it). */
  private exactCap: number | undefined;
  /** The longest reply seen: the cap is at least this. */
  private longest = 0;
  /** Replies that came back with `longest` records, for the "cut at one size" check. */
  private atLongest = 0;

  constructor(
    /** --max-items N: the user's word for the cap; undefined: learn it. */
    private readonly given?: number,
    /** What a full reply is taken to hold when nothing is known yet. */
    private readonly fallback = 1000,
  ) {
    this.exactCap = given;
  }

  /** What the planners treat as a full reply: a reply this long may hide more. */
  get value(): number {
    if (this.exactCap !== undefined) return this.exactCap;
    return this.longest > 0 ? this.longest : this.fallback;
  }

  /** Where the cap comes from: --max-items, a reply that proved it, or a lower bound. */
  get source(): CapSource {
    return this.given !== undefined ? 'given' : this.known ? 'learnt' : 'at least';
  }

  /** Whether the cap was proved (or given), rather than bounded from below. */
  get known(): boolean {
    return this.exactCap !== undefined;
  }

  /** The cap proved by a reply that held fewer records than the query is known to match. */
  prove(cap: number): void {
    if (this.given === undefined && cap > 0) this.exactCap = cap;
  }

  /** Every reply's length, as the run goes. */
  observe(length: number): void {
    if (length > this.longest) {
      this.longest = length;
      this.atLongest = 1;
      // A proved cap exceeded means it was wrong (the server's cap changed): learn it again.
      if (this.given === undefined && this.exactCap !== undefined && length > this.exactCap) this.exactCap = undefined;
    } else if (length === this.longest && length > 0) {
      this.atLongest++;
    }
  }

  /** The longest reply seen. */
  get largest(): number {
    return this.longest;
  }

  /**
   * A run whose replies keep coming back at one size below the cap it assumed was probably cut
   * at that size by a lower server cap (found in review: a filtered export at --max-items 1000
   * against a server capped below it wrote 14,000 of 100,000 records with exit 0). Undefined
   * when nothing looks wrong.
   */
  suspicion(): string | undefined {
    const assumed = this.value;
    if (this.longest === 0 || this.longest >= assumed || this.atLongest < 3) return undefined;
    if (this.given === undefined && this.exactCap === undefined) return undefined;
    return `${this.atLongest} replies came back with exactly ${this.longest} records, fewer than the ${assumed} a full reply was taken to hold: the server's cap is probably ${this.longest}, and records may be missing (run again without --max-items to learn the cap, or with --max-items ${this.longest})`;
  }
}

/**
 * Learn the cap before the walk: the exported object first when it has a summary, else
 * customers, then cases. Costs an empty GET and one GET of up to a cap's worth of records.
 * A probe the user may not make (no access right) is skipped.
 */
export async function probeCap(send: SendGet, object: string, cap: ReplyCap): Promise<void> {
  const order = [object, 'CUSTOMER', 'CASE', 'TASK'].filter((o, i, all) => FULL_COVERAGE[o] !== undefined && all.indexOf(o) === i);
  for (const name of order) {
    let total: number;
    let items: readonly Item[];
    try {
      total = Number((await send(name, []))[0]?.['TOTAL'] ?? 0);
      if (!(total > 0)) continue;
      items = await send(name, FULL_COVERAGE[name] as readonly Tag[]);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'WAPI_PERMISSION' || code === 'WAPI_REJECTED') continue;
      throw error;
    }
    cap.observe(items.length);
    if (items.length < total) {
      cap.prove(items.length);
      return;
    }
    // Every record came back: the cap is at least TOTAL. The exported object is then read in
    // full by the walk whatever the cap; another object's count is only a bound.
    if (name === object) return;
  }
}
