import { ConfigError } from '../protocol/errors.js';
import { parseWireDate, parseWireDateTime } from '../protocol/wire-dates.js';
import { isValidTimeZone, wallClockIn } from '../protocol/time-zones.js';

/**
 * Dates. The store keeps ISO text (`YYYY-MM-DD HH:MM:SS`) on the server's wall clock, in its
 * time zone (`--timezone`, UTC by default), as a tenant's server would: ranges compare as
 * strings, day filters take whole days of that zone, and a DUEDATE sent as MMDDYYYYHH24MI is
 * kept as sent. The wire uses MMDDYYYY, MMDDYYYYHH24MI in requests and `MMDDYYYY HH:MM:SS` in
 * replies (README, "Protocol notes"), read by src/protocol/wire-dates.ts as the client's
 * validator reads them.
 */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `MMDDYYYY` to `YYYY-MM-DD`, or undefined when it is not a date the wire takes. */
export function wireDateToIso(value: string): string | undefined {
  const d = parseWireDate(value);
  return d === undefined ? undefined : `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** `MMDDYYYYHH24MI` to `YYYY-MM-DD HH:MM:00`, or undefined. */
export function wireDateTimeToIso(value: string): string | undefined {
  const d = parseWireDateTime(value);
  return d === undefined ? undefined : `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)} ${pad(d.hour)}:${pad(d.minute)}:00`;
}

/** A date or a date-time in wire form, as an ISO string (date alone: midnight). */
export function wireDateOrDateTimeToIso(value: string): string | undefined {
  if (value.length !== 8) return wireDateTimeToIso(value);
  const day = wireDateToIso(value);
  return day === undefined ? undefined : `${day} 00:00:00`;
}

/** ISO `YYYY-MM-DD HH:MM:SS` (or `YYYY-MM-DD`) to the reply form `MMDDYYYY HH:MM:SS`. */
export function toWireTimestamp(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(iso);
  if (!m) return iso;
  return `${m[2]}${m[3]}${m[1]} ${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}`;
}

/** Check an IANA time zone name (`Europe/Paris`, `UTC`); returns it as given. */
export function checkTimeZone(zone: string): string {
  if (!isValidTimeZone(zone)) {
    throw new ConfigError(`unknown time zone "${zone}"`, 'pass an IANA time zone name such as UTC, Europe/London or America/New_York');
  }
  return zone;
}

/** The store's form of an instant: the wall-clock time in `zone` (UTC by default). */
export function toIso(date: Date, zone = 'UTC'): string {
  if (zone === 'UTC') return date.toISOString().slice(0, 19).replace('T', ' ');
  const w = wallClockIn(date.getTime(), zone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(w.year).padStart(4, '0')}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
}

/**
 * Fixture dates: ISO 8601 with or without time or zone (`2024-03-01`, `2024-03-01T09:30:00Z`).
 * Without a zone they are the server's wall-clock time; with one, they are converted to it.
 * Returns the store's form, or undefined.
 */
export function parseFixtureDate(value: string, zone = 'UTC'): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value} 00:00:00`;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const date = new Date(hasZone ? value : `${value.replace(' ', 'T')}Z`);
  if (Number.isNaN(date.getTime())) return undefined;
  return hasZone ? toIso(date, zone) : toIso(date);
}
