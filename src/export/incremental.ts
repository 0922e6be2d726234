import { dayToIso, keyDay, replyTimestampKey } from './dates.js';
import type { Item } from './plan-types.js';

/**
 * The incremental bookmark of one object: the latest cursor timestamp exported (LASTMODDATE,
 * or CREATEDDATE for follow-ups, which are never modified) and the ids exported at exactly that
 * second, so that a record changed later in the same second is still picked up next time while
 * the ones already written are not written again.
 */
export interface Bookmark {
  /** `YYYY-MM-DDTHH:MM:SS`, the server's wall-clock time. */
  readonly at: string;
  readonly ids: readonly number[];
  /**
   * id -> cursor timestamp of every record written with a timestamp the next run's lookback
   * reaches. A record the next run fetches is dropped only when this exact version was written:
   * one changed during a run, behind the bookmark, is still exported next time (found in review:
   * "older than the bookmark" dropped it for good). Absent in bookmarks of older versions.
   */
  readonly written?: Readonly<Record<string, string>>;
}

/** The API filters by whole days: the next run starts this many days before the bookmark. */
export const LOOKBACK_DAYS = 1;

export function parseBookmark(text: string | undefined): Bookmark | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as { at?: unknown; ids?: unknown };
    if (typeof value.at !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value.at)) return undefined;
    const ids = Array.isArray(value.ids) ? value.ids.filter((v): v is number => typeof v === 'number') : [];
    const raw = (value as { written?: unknown }).written;
    const written =
      raw !== null && typeof raw === 'object'
        ? Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'))
        : undefined;
    return written ? { at: value.at, ids, written } : { at: value.at, ids };
  } catch {
    return undefined;
  }
}

export function formatBookmark(bookmark: Bookmark): string {
  return JSON.stringify(bookmark.written ? { at: bookmark.at, ids: bookmark.ids, written: bookmark.written } : { at: bookmark.at, ids: bookmark.ids });
}

/** The earliest cursor timestamp the run after a bookmark at `at` asks the server for. */
function horizon(at: string): string {
  return `${dayToIso((keyDay(at) as number) - LOOKBACK_DAYS)}T00:00:00`;
}

/** The first day an incremental run asks the server for (FROMLASTMODDATE / FROMCREATEDATE). */
export function startDay(bookmark: Bookmark): number {
  return (keyDay(bookmark.at) as number) - LOOKBACK_DAYS;
}

/**
 * Whether a record fetched by an incremental run is new to the export: changed after the
 * bookmark, or at its very second but not among the ids written then. The lookback day brings
 * back records already written; this drops them (de-duplication by id).
 */
export function isNewSince(bookmark: Bookmark, keyOf: (item: Item) => number, cursorField: string): (item: Item) => boolean {
  const ids = new Set(bookmark.ids);
  const written = bookmark.written;
  return (item) => {
    const key = replyTimestampKey(item[cursorField]);
    if (key === undefined) return true;
    if (key > bookmark.at) return true;
    if (written) return written[String(keyOf(item))] !== key;
    return key === bookmark.at && !ids.has(keyOf(item));
  };
}

/** Folds the records written by a run into the next bookmark. */
export class BookmarkTracker {
  private at: string | undefined;
  private ids = new Set<number>();
  /** Versions written within the lookback of the latest bookmark: pruned as it moves on a day. */
  private readonly written = new Map<string, string>();
  private floor = '';

  constructor(
    private readonly keyOf: (item: Item) => number,
    private readonly cursorField: string,
    previous?: Bookmark,
  ) {
    if (previous) {
      this.at = previous.at;
      this.ids = new Set(previous.ids);
      this.floor = horizon(previous.at);
      for (const [id, key] of Object.entries(previous.written ?? {})) this.written.set(id, key);
    }
  }

  add(item: Item): void {
    const key = replyTimestampKey(item[this.cursorField]);
    if (key === undefined) return;
    const id = this.keyOf(item);
    if (this.at === undefined || key > this.at) {
      this.at = key;
      this.ids = new Set([id]);
      const floor = horizon(key);
      if (floor > this.floor) {
        this.floor = floor;
        for (const [k, v] of this.written) if (v < floor) this.written.delete(k);
      }
    } else if (key === this.at) {
      this.ids.add(id);
    }
    if (key >= this.floor) this.written.set(String(id), key);
  }

  value(): Bookmark | undefined {
    if (this.at === undefined) return undefined;
    const floor = horizon(this.at);
    const written = Object.fromEntries([...this.written].filter(([, key]) => key >= floor));
    return { at: this.at, ids: [...this.ids].sort((a, b) => a - b), written };
  }
}
