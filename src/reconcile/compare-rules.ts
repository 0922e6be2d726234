/**
 * How a source value and the CRM's value of one field are compared. Pure functions, table-tested
 * (test/unit/reconcile/compare-rules.test.ts).
 *
 * Both sides are normalised as the API normalises: line ends become LF (README "Protocol notes":
 * a CRLF file never shows as a change), the guide's `&rsquot;` is an apostrophe, and a tag the
 * reply lacks or sends empty (`<COMPANY/>`, as live tenants do) reads as empty. A mode then says
 * what else is not a difference; each field gets one by its kind unless the mapping says
 * `compare:`.
 */
import type { ObjectName } from '../protocol/catalogue.js';
import { normaliseLineEnds } from '../protocol/escape.js';
import type { TenantLists } from '../mapping/tenant-lists.js';
import type { CompareMode, FieldMapping } from '../mapping/types.js';
import { DATE_FORMATS, sameWireDate } from '../import/same-values.js';

/**
 * Never compared unless the mapping asks: AUTOPASSWD is an instruction to the server (live
 * replies do not carry it) and PASSWORD a secret the server may make up itself.
 */
const WRITE_ONLY = new Set(['AUTOPASSWD', 'PASSWORD']);

/** Transforms after which whitespace at the ends cannot be part of the value. */
const TRIMMING = new Set(['trim', 'collapse-spaces', 'phone']);

/**
 * The mode of a field: the mapping's `compare:`; else dates as dates (`date:` fields and the
 * catalogue's date fields), values the server matches and stores in its own spelling ignoring
 * case (enumerations, TRUE/FALSE, custom picklists: the import sends `vip`, the CRM keeps `VIP`),
 * trimmed where the mapping trims, exact otherwise.
 */
export function compareModeOf(field: FieldMapping, object: ObjectName, lists: TenantLists | undefined): CompareMode {
  if (field.compare !== undefined) return field.compare;
  if (WRITE_ONLY.has(field.tag.toUpperCase())) return 'ignore';
  if (field.ref !== undefined) return 'exact';
  const def = field.def;
  if (field.date !== undefined || (def !== undefined && DATE_FORMATS.has(def.format))) return 'date';
  if (def !== undefined && (def.format === 'enum' || def.format === 'boolean' || def.caseInsensitive === true)) return 'case-insensitive';
  const custom = lists?.customFields?.[object]?.[field.tag];
  if (field.custom && custom?.type === 'picklist') return 'case-insensitive';
  if (field.trim || field.transform.some((t) => TRIMMING.has(t))) return 'trimmed';
  return 'exact';
}

/** A CRM value as compared: absent is empty, LF line ends, `&rsquot;` an apostrophe. */
export function crmText(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  const text = normaliseLineEnds(value);
  return text.includes('&rsquot;') ? text.replaceAll('&rsquot;', "'") : text;
}

/** A source date (MMDDYYYY or MMDDYYYYHH24MI, as mapped) against the CRM's, as the import's unchanged check compares them. */
function sameDate(source: string, crm: string): boolean {
  const sent = source.replace(/\D/g, '');
  return sent.length < 8 ? source === crm : sameWireDate(sent, crm);
}

/** Whether the source value and the CRM value agree under a mode (`crm` as crmText gives it). */
export function agrees(mode: CompareMode, source: string, crm: string): boolean {
  const a = normaliseLineEnds(source);
  if (a === crm || mode === 'ignore') return true;
  switch (mode) {
    case 'exact':
      return false;
    case 'case-insensitive':
      return a.toLowerCase() === crm.toLowerCase();
    case 'trimmed':
      return a.trim() === crm.trim();
    case 'date':
      return sameDate(a, crm);
  }
}
