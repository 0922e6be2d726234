import { loadMapping, type Mapping } from '../mapping/index.js';
import type { CompiledDateFormat } from '../mapping/date-format.js';
import { ConfigError } from '../protocol/errors.js';
import type { ObjectDef } from '../protocol/catalogue.js';
import { replyDateToIso } from './dates.js';

/** A column an import mapping reads, turned around: write `tag` under the legacy `column` name. */
export interface ReverseColumn {
  readonly column: string;
  readonly tag: string;
  /** CRM value -> legacy value, from an invertible `map`. */
  readonly valueMap?: ReadonlyMap<string, string>;
  /** The mapping's `date:` format, to write dates back the way the legacy file had them. */
  readonly date?: CompiledDateFormat;
}

export interface ReverseMapping {
  readonly columns: ReverseColumn[];
  /** What could not be turned around, one line each. */
  readonly warnings: string[];
}

/**
 * Invert an import mapping (loaded and checked by the import's own loader) so that an export
 * can be fed back to the import:
 * - `TAG: column` and `TAG: { column: c, ... }` invert: the field is written under `column`;
 *   `trim` and `transform` were applied on the way in and are not undone;
 * - `date: FORMAT` inverts: the date is written in that format (`iso`: ISO 8601);
 * - a `map` inverts when no two legacy values map to the same CRM value; otherwise, and for
 *   values outside it (what `otherwise`/`default` produced), the CRM value is written;
 * - `value` (a constant) and `template` (several columns joined) cannot be inverted: left out;
 * - `ref` is written as the CRM id (e.g. the ACCOUNTNUM), not the parent's legacy key;
 * - two fields reading one column: the first one writes it.
 */
export function reverseMapping(mapping: Mapping, object: ObjectDef): ReverseMapping {
  if (mapping.objectName !== object.name) {
    throw new ConfigError(`${mapping.file}: the mapping is for ${mapping.object}, the export is of ${object.name.toLowerCase()}`, 'give the mapping of the exported object');
  }
  const columns: ReverseColumn[] = [];
  const warnings: string[] = [];
  const used = new Set<string>();
  for (const field of mapping.fields) {
    if (field.template !== undefined) {
      warnings.push(`${field.path}: a template cannot be inverted: not exported`);
      continue;
    }
    if (field.column === undefined) {
      warnings.push(`${field.path}: a constant: not exported`);
      continue;
    }
    if (used.has(field.column)) {
      warnings.push(`${field.path}: column ${field.column} is already written by another field: not exported twice`);
      continue;
    }
    if (field.ref !== undefined) warnings.push(`${field.path}: a reference: written as the CRM id, not the legacy key`);
    let valueMap: Map<string, string> | undefined;
    if (field.map !== undefined) {
      valueMap = new Map();
      for (const [legacy, crm] of Object.entries(field.map)) {
        if (valueMap.has(crm)) {
          warnings.push(`${field.path}: map sends several values to "${crm}": CRM values written as they are`);
          valueMap = undefined;
          break;
        }
        valueMap.set(crm, legacy);
      }
    }
    used.add(field.column);
    columns.push({ column: field.column, tag: field.tag, valueMap, date: field.date });
  }
  if (!used.has(mapping.key)) warnings.push(`key: column ${mapping.key} is not read by any field, so it cannot be filled`);
  return { columns, warnings };
}

export async function loadReverseMapping(file: string, object: ObjectDef): Promise<ReverseMapping> {
  return reverseMapping(await loadMapping(file), object);
}

const TOKENS = ['YYYY', 'MM', 'DD', 'HH', 'hh', 'mm', 'ss', 'M', 'D', 'H', 'h', 'A'] as const;

/**
 * A reply date written in a mapping's `date:` format (the inverse of the import's parse).
 * Values that are not dates come back unchanged.
 */
export function formatDate(value: string, format: CompiledDateFormat): string {
  const iso = replyDateToIso(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?$/.exec(iso);
  if (!m) return value;
  if (format.iso) return iso;
  const [year, month, day, hour = '00', minute = '00', second = '00'] = m.slice(1);
  const h = Number(hour);
  const parts: Record<(typeof TOKENS)[number], string> = {
    YYYY: year as string,
    MM: month as string,
    M: String(Number(month)),
    DD: day as string,
    D: String(Number(day)),
    HH: hour,
    H: String(h),
    hh: String(h % 12 === 0 ? 12 : h % 12).padStart(2, '0'),
    h: String(h % 12 === 0 ? 12 : h % 12),
    mm: minute,
    ss: second,
    A: h < 12 ? 'AM' : 'PM',
  };
  let out = '';
  for (let i = 0; i < format.source.length; ) {
    const token = TOKENS.find((t) => format.source.startsWith(t, i));
    if (token) {
      out += parts[token];
      i += token.length;
    } else {
      out += format.source[i];
      i++;
    }
  }
  return out;
}
