/**
 * The named steps of `transform:`. Each takes a string and returns a string; `truncate` is not
 * here because it needs the field's maximum length and always runs last (apply-mapping.ts).
 */
import type { Transform } from './types.js';

// An extension at the end of a number: "x371", "ext. 371", "extension 371".
const EXTENSION = /\s*(?:ext\.?|extension|x)\s*(\d+)\s*$/i;

/**
 * Reduce a phone number to the characters the guide allows in VOICE/ALTERNATIVE/FAX/PHONE
 * (`+ ( ) / . - _ 0-9 space`): dashes of any kind become `-`, an extension `x371` becomes
 * `/ 371` (the guide allows no letters), anything else disallowed is dropped.
 */
export function normalisePhone(value: string): string {
  return value
    .replace(EXTENSION, ' / $1')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[^+()/.\-_0-9\s]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const STEPS: Record<Exclude<Transform, 'truncate'>, (value: string) => string> = {
  trim: (v) => v.trim(),
  lower: (v) => v.toLowerCase(),
  upper: (v) => v.toUpperCase(),
  'collapse-spaces': (v) => v.replace(/\s+/g, ' ').trim(),
  'digits-only': (v) => v.replace(/[^0-9]/g, ''),
  phone: normalisePhone,
};

export function applyTransform(step: Exclude<Transform, 'truncate'>, value: string): string {
  return STEPS[step](value);
}

// One count of characters for the whole project: the wire's (maximum lengths are counted so).
export { charLength } from '../protocol/wire-formats.js';

/** The first `max` characters, never splitting a surrogate pair. */
export function truncateChars(value: string, max: number): string {
  if (value.length <= max) return value;
  return Array.from(value).slice(0, max).join('');
}
