import type { FieldDef } from '../protocol/catalogue.js';
import { normaliseLineEnds } from '../protocol/escape.js';

/** The catalogue formats that hold dates or timestamps. */
export const DATE_FORMATS: ReadonlySet<FieldDef['format']> = new Set<FieldDef['format']>(['date', 'datetime', 'date-or-datetime']);

/**
 * A date sent (the digits of MMDDYYYY or MMDDYYYYHH24MI) against a reply's `MMDDYYYY HH:MM:SS`
 * (or the guide's `0503201212:26:59`): the digits sent begin the reply's, and the time beyond
 * them is midnight (a date sent alone is 00:00), seconds aside.
 */
export function sameWireDate(sentDigits: string, stored: string): boolean {
  const held = stored.replace(/\D/g, '');
  return held.startsWith(sentDigits) && /^0*$/.test(held.slice(sentDigits.length, 12));
}

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
  if (def && DATE_FORMATS.has(def.format) && /^\d{8}(\d{4})?$/.test(a)) return sameWireDate(a, b);
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
