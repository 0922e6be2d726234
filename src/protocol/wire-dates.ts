/**
 * Dates as they travel (README "Protocol notes", "Dates"): `MMDDYYYY` in requests, task DUEDATE
 * as `MMDDYYYYHH24MI`, FROMDUEDATE/TODUEDATE either, and `MMDDYYYY HH:MM:SS` timestamps in
 * replies. The offline validator, the emulator and the exporter all read and write them here,
 * so a date one of them takes is a date the others take.
 *
 * Years run from 1000 to 9999. The guide only says YYYY; four digits give the top, and the
 * bottom is the first year a four-digit year has without a leading zero, which is also where
 * SQL DATE columns (MySQL's, a PHP server's likely store) begin. A date outside is refused, by
 * the validator before sending as by the emulator (README "Readings of the guide").
 */

export const WIRE_YEARS = { min: 1000, max: 9999 } as const;

export interface WireDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface WireDateTime extends WireDate {
  readonly hour: number;
  readonly minute: number;
}

/** A reply date or timestamp: the time parts are there when the value had a time. */
export interface ReplyTimestamp extends WireDate {
  readonly hour?: number;
  readonly minute?: number;
  readonly second?: number;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Whether year/month/day (and hour/minute when given) name a real moment of the calendar, any
 * year from 1 on. Input formats of mappings are read with it; what goes on the wire must also
 * be within WIRE_YEARS (isWireDay).
 */
export function isRealDate(year: number, month: number, day: number, hour = 0, minute = 0): boolean {
  return (
    Number.isInteger(year) &&
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59
  );
}

/** Whether a day of the calendar can travel: a real date within WIRE_YEARS. */
export function isWireDay(year: number, month: number, day: number): boolean {
  return year >= WIRE_YEARS.min && year <= WIRE_YEARS.max && isRealDate(year, month, day);
}

const DATE = /^(\d{2})(\d{2})(\d{4})$/;
const DATE_TIME = /^(\d{2})(\d{2})(\d{4})(\d{2})(\d{2})$/;
// The guide's follow-up example glues date and time together (`0503201212:26:59`), so the space
// is optional; replies are read as sent.
const REPLY_TIMESTAMP = /^(\d{2})(\d{2})(\d{4})(?: ?(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** `MMDDYYYY`, or undefined when it is not one or not a real day within WIRE_YEARS. */
export function parseWireDate(value: string): WireDate | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isWireDay(year, month, day) ? { year, month, day } : undefined;
}

/** `MMDDYYYYHH24MI` (task DUEDATE), or undefined. */
export function parseWireDateTime(value: string): WireDateTime | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [month, day, year, hour, minute] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  return isWireDay(year, month, day) && isRealDate(year, month, day, hour, minute) ? { year, month, day, hour, minute } : undefined;
}

/** Either form (FROMDUEDATE/TODUEDATE): a date alone has no time parts. */
export function parseWireDateOrDateTime(value: string): WireDate | WireDateTime | undefined {
  return value.length === 8 ? parseWireDate(value) : parseWireDateTime(value);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `MMDDYYYY`. */
export function formatWireDate(date: WireDate): string {
  return `${pad(date.month)}${pad(date.day)}${pad(date.year, 4)}`;
}

/** `MMDDYYYYHH24MI`. */
export function formatWireDateTime(date: WireDateTime): string {
  return `${formatWireDate(date)}${pad(date.hour)}${pad(date.minute)}`;
}

/**
 * A reply date (`MMDDYYYY`) or timestamp (`MMDDYYYY HH:MM:SS`, seconds optional, the space
 * too), or undefined when the value is neither or its day is not a real one. The time is taken
 * as the server wrote it: a record is placed by its day, and no reading of the server's clock
 * should make one vanish from an export.
 */
export function parseReplyTimestamp(value: string): ReplyTimestamp | undefined {
  const m = REPLY_TIMESTAMP.exec(value.trim());
  if (!m) return undefined;
  const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isWireDay(year, month, day)) return undefined;
  if (m[4] === undefined) return { year, month, day };
  return { year, month, day, hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) };
}
