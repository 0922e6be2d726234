import type { ObjectName } from '../protocol/catalogue.js';
import { objectDef } from '../protocol/catalogue.js';
import { normaliseLineEnds } from '../protocol/escape.js';
import type { WapiClient } from '../client/wapi-client.js';

export type Found = ReadonlyArray<Readonly<Record<string, string>>>;

/** Most look-up results kept: enough for the hot parents of a file, bounded for any file. */
const DEFAULT_CACHE_SIZE = 10_000;

/**
 * Finds records by GET on one field. Results are filtered to exact matches: a GET on a
 * wildcard field treats `%` as a pattern (README, "Protocol notes", "GET"), so `a%b` could match
 * more than `a%b` itself. `lookup` caches (and shares in-flight GETs) in a bounded LRU, for
 * `ref: { object, by }`; `find` does not, since an upsert's own adds change its answers.
 */
export class RecordFinder {
  private readonly cache = new Map<string, Promise<Found>>();

  constructor(
    private readonly client: WapiClient,
    private readonly signal?: AbortSignal,
    private readonly cacheSize = DEFAULT_CACHE_SIZE,
  ) {}

  async find(object: ObjectName, tag: string, value: string): Promise<Found> {
    const reply = await this.client.call({ object, action: 'GET', tags: [[tag, value]] }, { signal: this.signal });
    const upper = tag.toUpperCase();
    const wanted = normaliseLineEnds(value);
    return reply.items.filter((item) => normaliseLineEnds(item[upper] ?? '') === wanted);
  }

  lookup(object: ObjectName, tag: string, value: string): Promise<Found> {
    const key = `${object}\u0000${tag.toUpperCase()}\u0000${value}`;
    const hit = this.cache.get(key);
    if (hit) {
      // Re-insert: Map keeps insertion order, so the first key is the least recently used.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const pending = this.find(object, tag, value);
    this.cache.set(key, pending);
    // A failed GET is not remembered: the next row asks again.
    pending.catch(() => this.cache.delete(key));
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return pending;
  }

  /** The id tag of an object (ACCOUNTNUM, CASENUM...). */
  static idTag(object: ObjectName): string {
    return objectDef(object)?.idTag ?? 'ID';
  }
}
