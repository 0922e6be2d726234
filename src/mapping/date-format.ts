/**
 * Date formats of mapping files (`date: DD/MM/YYYY`, `date: iso`) and the conversion to what the
 * CRM takes: MMDDYYYY for dates, MMDDYYYYHH24MI for task DUEDATE, written by the wire-date
 * module the emulator reads them with (src/protocol/wire-dates.ts; README "Protocol notes",
 * "Dates"). Time zones through Intl only: no date library.
 */
import { formatWireDate, formatWireDateTime, isRealDate } from '../protocol/wire-dates.js';
import { wallClockIn } from '../protocol/time-zones.js';
import type { DateTarget } from './types.js';

export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Present when the value carried a time. */
  readonly hour?: number;
  readonly minute?: number;
}

type Token = 'YYYY' | 'MM' | 'M' | 'DD' | 'D' | 'HH' | 'H' | 'hh' | 'h' | 'mm' | 'ss' | 'A';

export interface CompiledDateFormat {
  /** As written in the mapping: `DD/MM/YYYY`, `iso`. */
  readonly source: string;
  readonly iso: boolean;
  readonly hasTime: boolean;
  readonly regex: RegExp;
  readonly tokens: readonly Token[];
}

// Longest first, so that `MM` wins over `M`.
const TOKENS: readonly Token[] = ['YYYY', 'MM', 'DD', 'HH', 'hh', 'mm', 'ss', 'M', 'D', 'H', 'h', 'A'];
const TOKEN_REGEX: Record<Token, string> = {
  YYYY: '(\\d{4})',
  MM: '(\\d{2})',
  DD: '(\\d{2})',
  HH: '(\\d{2})',
  hh: '(\\d{2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
  M: '(\\d{1,2})',
  D: '(\\d{1,2})',
  H: '(\\d{1,2})',
  h: '(\\d{1,2})',
  A: '([AaPp][Mm])',
};

// ISO 8601 as exports write it: date, optional time with seconds and fraction, optional offset.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

export const DATE_TOKENS_HELP = 'YYYY, MM, M, DD, D, HH, H, hh, h, mm, ss, A (AM/PM), or iso';

/** Compile a format string, or return why it is not one. */
export function compileDateFormat(source: string): CompiledDateFormat | string {
  if (source.toLowerCase() === 'iso') return { source, iso: true, hasTime: false, regex: ISO, tokens: [] };
  const tokens: Token[] = [];
  let pattern = '^';
  let i = 0;
  while (i < source.length) {
    const token = TOKENS.find((t) => source.startsWith(t, i));
    if (token) {
      if (tokens.includes(token)) return `${token} appears twice`;
      tokens.push(token);
      pattern += TOKEN_REGEX[token];
      i += token.length;
      continue;
    }
    const char = source[i] as string;
    // Letters are tokens, except the T of `YYYY-MM-DDTHH:mm`.
    if (/[A-Za-z]/.test(char) && char !== 'T') {
      const word = /^[A-Za-z]+/.exec(source.slice(i))?.[0] ?? char;
      return `"${word}" is not a date token`;
    }
    pattern += /\s/.test(char) ? '\\s+' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    i += 1;
  }
  pattern += '$';
  const has = (...ts: Token[]): boolean => ts.some((t) => tokens.includes(t));
  if (!has('YYYY') || !has('MM', 'M') || !has('DD', 'D')) return 'a date format needs YYYY, MM (or M) and DD (or D)';
  if (has('HH', 'H') && has('hh', 'h')) return 'use HH (24-hour) or hh with A (12-hour), not both';
  if (has('hh', 'h') !== has('A')) return 'a 12-hour format needs both hh (or h) and A';
  if (has('mm') && !has('HH', 'H', 'hh', 'h')) return 'mm (minutes) needs an hour token (HH)';
  if (has('ss') && !has('mm')) return 'ss (seconds) needs mm (minutes)';
  return { source, iso: false, hasTime: has('HH', 'H', 'hh', 'h'), regex: new RegExp(pattern), tokens };
}

/** The wall-clock date and time of an instant in a time zone (seconds dropped: the CRM keeps minutes). */
function wallClock(epochMs: number, timeZone: string): DateParts {
  const { year, month, day, hour, minute } = wallClockIn(epochMs, timeZone);
  return { year, month, day, hour, minute };
}

/**
 * The offset from UTC, in minutes, of a wall-clock time in a time zone (for an ambiguous time at
 * a daylight-saving change, the earlier of the two instants).
 */
export function zoneOffsetMinutes(timeZone: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  // The default zone needs no Intl: an export writes every date cell through here (found in
  // review: two formatToParts calls a cell made the export's cell conversion six times slower).
  if (timeZone === 'UTC') return 0;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (epoch: number): number => {
    const w = wallClock(epoch, timeZone);
    return (Date.UTC(w.year, w.month - 1, w.day, w.hour ?? 0, w.minute ?? 0) - epoch) / 60_000;
  };
  const first = offsetAt(asUtc);
  const second = offsetAt(asUtc - first * 60_000);
  return first === second ? first : Math.max(first, second);
}

/** An offset as ISO 8601 writes it: `Z`, `+01:00`, `-05:30`. */
export function formatOffset(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Today's date in a time zone, as days since 1970-01-01 (the export's day arithmetic). */
export function todayIn(timeZone: string, now: Date): number {
  const w = wallClock(now.getTime(), timeZone);
  return Math.round(Date.UTC(w.year, w.month - 1, w.day) / 86_400_000);
}

function parseIso(value: string, timeZone: string): DateParts | undefined {
  const m = ISO.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (m[4] === undefined) return isRealDate(year, month, day) ? { year, month, day } : undefined;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (!isRealDate(year, month, day, hour, minute) || second > 59) return undefined;
  const offset = m[7];
  if (offset === undefined) return { year, month, day, hour, minute };
  // An instant: convert to the mapping's time zone, since the CRM stores wall-clock values.
  let offsetMinutes = 0;
  if (offset.toUpperCase() !== 'Z') {
    const digits = offset.slice(1).replace(':', '');
    offsetMinutes = (offset[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
  }
  const epoch = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  return wallClock(epoch, timeZone);
}

/**
 * Parse a value with a compiled format. Values without an offset are wall-clock times and are
 * kept as they are; ISO values with an offset are converted to `timeZone`.
 */
export function parseDate(value: string, format: CompiledDateFormat, timeZone: string): DateParts | undefined {
  const text = value.trim();
  if (format.iso) return parseIso(text, timeZone);
  const m = format.regex.exec(text);
  if (!m) return undefined;
  const got: Partial<Record<Token, string>> = {};
  format.tokens.forEach((t, i) => (got[t] = m[i + 1]));
  const year = Number(got.YYYY);
  const month = Number(got.MM ?? got.M);
  const day = Number(got.DD ?? got.D);
  if (!format.hasTime) return isRealDate(year, month, day) ? { year, month, day } : undefined;
  let hour = Number(got.HH ?? got.H ?? got.hh ?? got.h);
  if (got.A !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (got.A.toUpperCase() === 'PM' ? 12 : 0);
  }
  const minute = Number(got.mm ?? 0);
  if (Number(got.ss ?? 0) > 59) return undefined;
  return isRealDate(year, month, day, hour, minute) ? { year, month, day, hour, minute } : undefined;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** MMDDYYYY, or MMDDYYYYHH24MI for `datetime` (00:00 when the value had no time). */
export function formatCrmDate(parts: DateParts, target: DateTarget): string {
  const withTime = target === 'datetime' || (target === 'date-or-datetime' && parts.hour !== undefined);
  return withTime ? formatWireDateTime({ ...parts, hour: parts.hour ?? 0, minute: parts.minute ?? 0 }) : formatWireDate(parts);
}
