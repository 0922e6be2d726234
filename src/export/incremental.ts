import { keyDay, replyTimestampKey } from './dates.js';
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
}

/** The API filters by whole days: the next run starts this many days before the bookmark. */
export const LOOKBACK_DAYS = 1;

export function parseBookmark(text: string | undefined): Bookmark | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as { at?: unknown; ids?: unknown };
    if (typeof value.at !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value.at)) return undefined;
    const ids = Array.isArray(value.ids) ? value.ids.filter((v): v is number => typeof v === 'number') : [];
    return { at: value.at, ids };
  } catch {
    return undefined;
  }
}

export function formatBookmark(bookmark: Bookmark): string {
  return JSON.stringify({ at: bookmark.at, ids: bookmark.ids });
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
  return (item) => {
    const key = replyTimestampKey(item[cursorField]);
    if (key === undefined) return true;
    if (key > bookmark.at) return true;
    return key === bookmark.at && !ids.has(keyOf(item));
  };
}

/** Folds the records written by a run into the next bookmark. */
export class BookmarkTracker {
  private at: string | undefined;
  private ids = new Set<number>();

  constructor(
    private readonly keyOf: (item: Item) => number,
    private readonly cursorField: string,
    previous?: Bookmark,
  ) {
    if (previous) {
      this.at = previous.at;
      this.ids = new Set(previous.ids);
    }
  }

  add(item: Item): void {
    const key = replyTimestampKey(item[this.cursorField]);
    if (key === undefined) return;
    const id = this.keyOf(item);
    if (this.at === undefined || key > this.at) {
      this.at = key;
      this.ids = new Set([id]);
    } else if (key === this.at) {
      this.ids.add(id);
    }
  }

  value(): Bookmark | undefined {
    return this.at === undefined ? undefined : { at: this.at, ids: [...this.ids].sort((a, b) => a - b) };
  }
}
