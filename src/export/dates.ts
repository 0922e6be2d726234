/**
 * Dates as the exporter needs them. The API filters by whole days (`MMDDYYYY`, FROM inclusive,
 * TO exclusive: DECISIONS.md "Replies") and answers with `MMDDYYYY HH:MM:SS` timestamps and
 * `MMDDYYYY` dates. Inside the planner a day is an integer: days since 1970-01-01, so windows
 * are plain arithmetic. No time zone is applied anywhere: the server's wall-clock time is the
 * only time the API knows, and ISO output keeps it as it is (no offset).
 */

import { formatOffset, zoneOffsetMinutes } from '../mapping/date-format.js';

const MS_PER_DAY = 86_400_000;

function dayOf(year: number, month: number, day: number): number | undefined {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Date.UTC rolls 02/30 over to 03/02: refuse dates that do not exist.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return Math.round(ms / MS_PER_DAY);
}

/** A day given on the command line: `YYYY-MM-DD` or `MMDDYYYY`; undefined when neither. */
export function parseDayOption(text: string): number | undefined {
  const value = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return dayOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{2})(\d{2})(\d{4})$/.exec(value);
  if (m) return dayOf(Number(m[3]), Number(m[1]), Number(m[2]));
  return undefined;
}

/** `MMDDYYYY`, the API's request format. */
export function dayToApi(day: number): string {
  const d = new Date(day * MS_PER_DAY);
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(d.getUTCDate()).padStart(2, '0');
  return `${mm}${dd}${d.getUTCFullYear()}`;
}

/** `YYYY-MM-DD`. */
export function dayToIso(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

// `MMDDYYYY`, optionally followed by a time; the guide's follow-up example glues them together
// (`0503201212:26:59`), so the space is optional.
const REPLY_DATE = /^(\d{2})(\d{2})(\d{4})(?: ?(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** The day of a reply date or timestamp, or undefined when the value is not one. */
export function replyDay(value: string | undefined): number | undefined {
  const m = REPLY_DATE.exec((value ?? '').trim());
  if (!m) return undefined;
  return dayOf(Number(m[3]), Number(m[1]), Number(m[2]));
}

/**
 * A reply date as ISO 8601: `YYYY-MM-DD` for a date, `YYYY-MM-DDTHH:MM:SS` for a timestamp,
 * with the offset of the server's time zone when one is given (`Z` for UTC, `+01:00`...): the
 * server's clock is wall-clock time in its zone, and the offset makes the instant unambiguous.
 * Anything else (empty, already ISO, garbage) comes back unchanged, so no value is ever lost.
 */
export function replyDateToIso(value: string, timeZone?: string): string {
  const m = REPLY_DATE.exec(value.trim());
  if (!m || dayOf(Number(m[3]), Number(m[1]), Number(m[2])) === undefined) return value;
  const date = `${m[3]}-${m[1]}-${m[2]}`;
  if (m[4] === undefined) return date;
  const time = `${date}T${m[4]}:${m[5]}:${m[6] ?? '00'}`;
  if (timeZone === undefined) return time;
  return `${time}${formatOffset(zoneOffsetMinutes(timeZone, Number(m[3]), Number(m[1]), Number(m[2]), Number(m[4]), Number(m[5])))}`;
}

/**
 * A sortable key for a reply timestamp (`YYYY-MM-DDTHH:MM:SS`), or undefined. Used for the
 * incremental bookmark, which must compare "last modified" instants, not days.
 */
export function replyTimestampKey(value: string | undefined): string | undefined {
  const iso = replyDateToIso((value ?? '').trim());
  if (!/^\d{4}-\d{2}-\d{2}/.test(iso)) return undefined;
  return iso.length === 10 ? `${iso}T00:00:00` : iso;
}

/** The day of a timestamp key made by replyTimestampKey. */
export function keyDay(key: string): number | undefined {
  return parseDayOption(key.slice(0, 10));
}
