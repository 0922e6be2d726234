import type { FieldDef } from '../protocol/catalogue.js';
import { normaliseLineEnds } from '../protocol/escape.js';

const DATE_FORMATS = new Set<FieldDef['format']>(['date', 'datetime', 'date-or-datetime']);

/**
 * Whether a value we would send equals what a GET returned for the field. Line ends are
 * normalised (README, "Protocol notes", "Transport and text": a CRLF file never shows as a change); TRUE/true match
 * where the catalogue calls the field case-insensitive; a date sent as MMDDYYYY[HH24MI] matches
 * the reply's `MMDDYYYY HH:MM:SS` on the digits sent (README, "Protocol notes", "Dates").
 */
export function sameValue(def: FieldDef | undefined, sent: string, stored: string | undefined): boolean {
  if (stored === undefined) return false;
  const a = normaliseLineEnds(sent);
  const b = normaliseLineEnds(stored);
  if (a === b) return true;
  if (def?.caseInsensitive) return a.toLowerCase() === b.toLowerCase();
  if (def && DATE_FORMATS.has(def.format) && /^\d{8}(\d{4})?$/.test(a)) {
    const digits = b.replace(/\D/g, '');
    return digits.length >= a.length && digits.slice(0, a.length) === a && /^0*$/.test(digits.slice(a.length, 12));
  }
  return false;
}

/**
 * The tags whose values differ from the record's (empty: the row is `unchanged`). `defOf`
 * gives the catalogue entry of a tag (undefined for custom fields).
 */
export function changedTags(
  fields: ReadonlyArray<readonly [string, string]>,
  record: Readonly<Record<string, string>>,
  defOf: (tag: string) => FieldDef | undefined,
): string[] {
  const changed: string[] = [];
  for (const [tag, value] of fields) {
    if (!sameValue(defOf(tag), value, record[tag.toUpperCase()])) changed.push(tag);
  }
  return changed;
}
