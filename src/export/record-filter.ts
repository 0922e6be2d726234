import { containsDay, type DayWindow } from './day-windows.js';
import { replyDay } from './dates.js';
import { itemId, type Item } from './plan-types.js';

/**
 * The export's own limits, checked on every record as well as sent as query tags: queries
 * that must reach wider than the limits (a prefix block, an exact-id scan, a whole day) never
 * let a record outside them into the file.
 */
export interface RecordFilter {
  readonly fromId?: number;
  readonly toId?: number;
  readonly created?: DayWindow;
  readonly modified?: DayWindow;
}

export function acceptItem(filter: RecordFilter, item: Item, idTag: string): boolean {
  const id = itemId(item, idTag);
  if (filter.fromId !== undefined && !(id >= filter.fromId)) return false;
  if (filter.toId !== undefined && !(id <= filter.toId)) return false;
  if (filter.created !== undefined && !inWindow(filter.created, item['CREATEDDATE'])) return false;
  if (filter.modified !== undefined && !inWindow(filter.modified, item['LASTMODDATE'])) return false;
  return true;
}

function inWindow(window: DayWindow, value: string | undefined): boolean {
  if (window.from === undefined && window.to === undefined) return true;
  const day = replyDay(value);
  return day !== undefined && containsDay(window, day);
}
