/**
 * Date windows over whole days, as the API filters them: FROM inclusive, TO exclusive, either
 * may be left out (README, "Protocol notes", "Dates"). `from`/`to` undefined means open on that side.
 */

import { dayToApi, parseDayOption, replyDay } from './dates.js';

export interface DayWindow {
  readonly from?: number;
  readonly to?: number;
}

/** The range tags of a window: e.g. FROMCREATEDATE / TOCREATEDATE. */
export function windowTags(window: DayWindow, fromTag: string, toTag: string): Array<readonly [string, string]> {
  const tags: Array<readonly [string, string]> = [];
  if (window.from !== undefined) tags.push([fromTag, dayToApi(window.from)]);
  if (window.to !== undefined) tags.push([toTag, dayToApi(window.to)]);
  return tags;
}

export function isSingleDay(window: DayWindow): boolean {
  return window.from !== undefined && window.to !== undefined && window.to - window.from <= 1;
}

export function containsDay(window: DayWindow, day: number): boolean {
  return (window.from === undefined || day >= window.from) && (window.to === undefined || day < window.to);
}

/** The API writes dates with four-digit years: windows stay within 1000-01-01 .. 9999-12-31. */
export const MIN_DAY = parseDayOption('1000-01-01') as number;
export const MAX_DAY = parseDayOption('9999-12-31') as number;
/** How far an open side is pushed out when it must be split and no record date bounds it. */
export const OPEN_STEP_DAYS = 8192;

/** Where the records are believed to lie (creation days of the first and last id). */
export interface DayHint {
  readonly first?: number;
  readonly last?: number;
}

/**
 * The windows a full window is split into, in date order; undefined for a single day (the
 * caller must narrow it some other way) or a window that reaches the ends of the calendar.
 * - open on both sides: before the hinted first day, the hinted span, after the last day;
 * - open on one side: the closed part next to the bound (up to the hint, or OPEN_STEP_DAYS),
 *   and the rest still open;
 * - closed: two halves.
 */
export function splitWindow(window: DayWindow, hint: DayHint = {}): DayWindow[] | undefined {
  const { from, to } = window;
  if (from === undefined && to === undefined) {
    const first = hint.first;
    const last = hint.last ?? hint.first;
    if (first === undefined || last === undefined) return [{ to: 0 }, { from: 0, to: OPEN_STEP_DAYS }, { from: OPEN_STEP_DAYS }];
    return [{ to: first }, { from: first, to: last + 1 }, { from: last + 1 }];
  }
  if (from === undefined) {
    const upper = to as number;
    if (upper <= MIN_DAY) return undefined;
    const cut = Math.max(MIN_DAY, hint.first !== undefined && hint.first < upper - 1 ? hint.first : upper - OPEN_STEP_DAYS);
    return cut <= MIN_DAY ? [{ from: MIN_DAY, to: upper }] : [{ to: cut }, { from: cut, to: upper }];
  }
  if (to === undefined) {
    if (from >= MAX_DAY) return undefined;
    const cut = Math.min(MAX_DAY, hint.last !== undefined && hint.last + 1 > from + 1 ? hint.last + 1 : from + OPEN_STEP_DAYS);
    return cut >= MAX_DAY ? [{ from, to: MAX_DAY }] : [{ from, to: cut }, { from: cut }];
  }
  if (to - from <= 1) return undefined;
  const mid = from + Math.floor((to - from) / 2);
  return [{ from, to: mid }, { from: mid, to }];
}

/**
 * Closed windows of `length` days covering [first, last]: the root windows of a walk sized from
 * the summary's density.
 */
export function* dayWindows(first: number, last: number, length: () => number): Generator<DayWindow> {
  for (let day = first; day <= last; ) {
    const len = Math.max(1, Math.floor(length()));
    const to = Math.min(day + len, last + 1);
    yield { from: day, to };
    day = to;
  }
}

/**
 * The next root window length after one of `length` days returned `count` records: halved after
 * a full reply, otherwise scaled toward `target` records (at most doubled per step).
 */
export function nextWindowLength(length: number, count: number, maxItems: number, target: number): number {
  if (count >= maxItems) return Math.max(1, Math.floor(length / 2));
  if (count === 0) return length * 2;
  return Math.max(1, Math.min(length * 2, Math.floor((length * target) / count)));
}

/** Split a set of values for a repeated-tag OR query into two halves (undefined for one). */
export function splitValues(values: readonly string[]): [string[], string[]] | undefined {
  if (values.length <= 1) return undefined;
  const half = Math.ceil(values.length / 2);
  return [values.slice(0, half), values.slice(half)];
}

/** The first and last creation days among some records: where to cut an open window. */
export function hintFromItems(items: ReadonlyArray<Readonly<Record<string, string>>>): DayHint {
  let first: number | undefined;
  let last: number | undefined;
  for (const item of items) {
    const day = replyDay(item['CREATEDDATE']);
    if (day === undefined) continue;
    if (first === undefined || day < first) first = day;
    if (last === undefined || day > last) last = day;
  }
  return { first, last };
}
