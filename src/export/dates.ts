/**
 * Dates as the exporter needs them. The API filters by whole days (`MMDDYYYY`, FROM inclusive,
 * TO exclusive: README "Protocol notes", "Dates") and answers with `MMDDYYYY HH:MM:SS` timestamps and
 * `MMDDYYYY` dates. Inside the planner a day is an integer: days since 1970-01-01, so windows
 * are plain arithmetic. The server's wall-clock time is the only time the API knows: ISO output
 * keeps it as it is and adds the offset of the server's time zone (`--timezone`), so the instant
 * is unambiguous. The wire forms are read and written by src/protocol/wire-dates.ts, as the
 * validator and the emulator read them.
 */

import { formatOffset, zoneOffsetMinutes } from '../mapping/date-format.js';
import { formatWireDate, isWireDay, parseReplyTimestamp, parseWireDate } from '../protocol/wire-dates.js';

const MS_PER_DAY = 86_400_000;

function dayOf(year: number, month: number, day: number): number | undefined {
  // Only days the API can be asked about: a real date within the wire's years.
  if (!isWireDay(year, month, day)) return undefined;
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

/** A day given on the command line: `YYYY-MM-DD` or `MMDDYYYY`; undefined when neither. */
export function parseDayOption(text: string): number | undefined {
  const value = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return dayOf(Number(m[1]), Number(m[2]), Number(m[3]));
  const wire = parseWireDate(value);
  return wire === undefined ? undefined : dayOf(wire.year, wire.month, wire.day);
}

/** `MMDDYYYY`, the API's request format. */
export function dayToApi(day: number): string {
  const d = new Date(day * MS_PER_DAY);
  return formatWireDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

/** `YYYY-MM-DD`. */
export function dayToIso(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The day of a reply date or timestamp, or undefined when the value is not one. */
export function replyDay(value: string | undefined): number | undefined {
  const t = parseReplyTimestamp(value ?? '');
  return t === undefined ? undefined : dayOf(t.year, t.month, t.day);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * A reply date as ISO 8601: `YYYY-MM-DD` for a date, `YYYY-MM-DDTHH:MM:SS` for a timestamp,
 * with the offset of the server's time zone when one is given (`Z` for UTC, `+01:00`...): the
 * server's clock is wall-clock time in its zone, and the offset makes the instant unambiguous.
 * Anything else (empty, already ISO, garbage) comes back unchanged, so no value is ever lost.
 */
export function replyDateToIso(value: string, timeZone?: string): string {
  const t = parseReplyTimestamp(value);
  if (t === undefined) return value;
  const date = `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
  if (t.hour === undefined) return date;
  const time = `${date}T${pad(t.hour)}:${pad(t.minute ?? 0)}:${pad(t.second ?? 0)}`;
  if (timeZone === undefined) return time;
  return `${time}${formatOffset(zoneOffsetMinutes(timeZone, t.year, t.month, t.day, t.hour, t.minute ?? 0))}`;
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
