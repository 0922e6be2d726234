/**
 * What a sample's values say about a column: how full it is, whether it names rows uniquely,
 * whether it holds emails, and the date format its values are written in (tried against the
 * formats the mapping takes: src/mapping/date-format.ts).
 */
import { compileDateFormat, parseDate, type CompiledDateFormat } from '../mapping/date-format.js';

export function values(rows: readonly Readonly<Record<string, string>>[], column: string): string[] {
  return rows.map((r) => (r[column] ?? '').trim()).filter((v) => v !== '');
}

/** Share of rows with a value, 0..1. */
export function fillRate(rows: readonly Readonly<Record<string, string>>[], column: string): number {
  return rows.length === 0 ? 0 : values(rows, column).length / rows.length;
}

/** Every row has a value and no two are the same. */
export function isUniqueKey(rows: readonly Readonly<Record<string, string>>[], column: string): boolean {
  const vs = rows.map((r) => (r[column] ?? '').trim());
  return vs.length > 0 && vs.every((v) => v !== '') && new Set(vs).size === vs.length;
}

export function distinct(rows: readonly Readonly<Record<string, string>>[], column: string): string[] {
  return [...new Set(values(rows, column))];
}

export function looksLikeEmails(vs: readonly string[]): boolean {
  return vs.length > 0 && vs.filter((v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)).length / vs.length >= 0.8;
}

export function maxLength(vs: readonly string[]): number {
  return vs.reduce((n, v) => Math.max(n, Array.from(v).length), 0);
}

/** Two-letter country codes (US, DE): the CRM wants the country's name. */
export function looksLikeCountryCodes(vs: readonly string[]): boolean {
  return vs.length > 0 && vs.every((v) => /^[A-Za-z]{2}$/.test(v));
}

const TIMES = ['', ' H:mm', ' H:mm:ss', ' h:mm A', ' h:mm:ss A'];
const ORDERS: Array<{ order: 'ymd' | 'mdy' | 'dmy'; make: (sep: string) => string }> = [
  { order: 'ymd', make: (s) => `YYYY${s}M${s}D` },
  { order: 'mdy', make: (s) => `M${s}D${s}YYYY` },
  { order: 'dmy', make: (s) => `D${s}M${s}YYYY` },
];

/** Every format tried, `iso` first (ISO 8601 with or without time and offset). */
function candidates(): Array<{ source: string; order: 'iso' | 'ymd' | 'mdy' | 'dmy'; format: CompiledDateFormat }> {
  const out: Array<{ source: string; order: 'iso' | 'ymd' | 'mdy' | 'dmy'; format: CompiledDateFormat }> = [];
  const add = (source: string, order: 'iso' | 'ymd' | 'mdy' | 'dmy') => {
    const format = compileDateFormat(source);
    if (typeof format !== 'string') out.push({ source, order, format });
  };
  add('iso', 'iso');
  add('YYYYMMDD', 'ymd');
  for (const { order, make } of ORDERS) for (const sep of ['/', '-', '.']) for (const time of TIMES) add(`${make(sep)}${time}`, order);
  return out;
}

const CANDIDATES = candidates();

export type DateDetection =
  | { readonly kind: 'none' }
  | { readonly kind: 'format'; readonly format: string; readonly hasTime: boolean }
  /** Day-first and month-first both read every value: a person must say which. */
  | { readonly kind: 'ambiguous'; readonly formats: readonly string[] };

/**
 * The format the sample's values are written in: the one that reads the most of them, when it
 * reads at least 80% (an export has a few bad dates; those rows fail at the map step, which is
 * right). Ambiguous when a day-first and a month-first format read as many.
 */
export function detectDateFormat(vs: readonly string[]): DateDetection {
  if (vs.length === 0 || !vs.some((v) => /\d/.test(v))) return { kind: 'none' };
  const scored = CANDIDATES.map((c) => ({ ...c, count: vs.filter((v) => parseDate(v, c.format, 'UTC') !== undefined).length }));
  const best = Math.max(...scored.map((c) => c.count));
  if (best === 0 || best < 0.8 * vs.length) return { kind: 'none' };
  const fits = scored.filter((c) => c.count === best);
  const iso = fits.find((c) => c.order === 'iso');
  if (iso) return { kind: 'format', format: 'iso', hasTime: vs.some((v) => /\d[T ]\d/.test(v)) };
  const mdy = fits.find((c) => c.order === 'mdy');
  const dmy = fits.find((c) => c.order === 'dmy');
  if (mdy && dmy) return { kind: 'ambiguous', formats: [mdy.source, dmy.source] };
  const first = fits[0] as (typeof fits)[number];
  return { kind: 'format', format: first.source, hasTime: first.format.hasTime };
}
