import { replyFields, type ObjectDef } from '../protocol/catalogue.js';
import { replyDateToIso } from './dates.js';
import { escapeFormula } from '../report/formulas.js';
import type { Item } from './plan-types.js';
import { formatDate, type ReverseColumn } from './reverse-mapping.js';
import type { CompiledDateFormat } from '../mapping/date-format.js';

/** One CSV column: its header, the reply tag it is read from, and an optional value map. */
export interface OutputColumn {
  readonly header: string;
  readonly tag: string;
  readonly valueMap?: ReadonlyMap<string, string>;
  /** Write dates in this format (from the mapping's `date:`), not ISO 8601. */
  readonly date?: CompiledDateFormat;
}

export interface ColumnOptions {
  /** `--columns`: headers to keep, in this order (tags, or the mapping's column names). */
  readonly columns?: readonly string[];
  /** `--mapping`: write the import mapping's legacy column names instead of tags. */
  readonly mapping?: readonly ReverseColumn[];
  /**
   * Write the customer portal PASSWORD (`--include-password`). Otherwise it is written only when
   * --columns names it: a backup file should not carry every customer's password by default.
   */
  readonly includePassword?: boolean;
}

/** How cells are written. */
export interface CellOptions {
  /** Dates as the API sends them (MMDDYYYY HH:MM:SS), not ISO 8601. */
  readonly rawDates: boolean;
  /** The server's time zone: ISO timestamps carry its offset. */
  readonly timeZone?: string | undefined;
  /** A leading `'` before cells a spreadsheet would run as a formula (report/formulas.ts). */
  readonly escapeFormulas?: boolean;
}

const SECRET_TAGS = new Set(['PASSWORD']);

/**
 * The object's reply fields in catalogue order, then every other tag the replies carried
 * (the tenant's custom fields), in the order first seen.
 */
export function defaultTags(object: ObjectDef, seenKeys: Iterable<string>): string[] {
  const tags = replyFields(object).map((f) => f.tag);
  const known = new Set(tags);
  for (const key of seenKeys) {
    if (!known.has(key)) {
      known.add(key);
      tags.push(key);
    }
  }
  return tags;
}

/**
 * The columns of the file. `seenKeys` are the tags of the records known when the header is
 * written (see ordered-rows.ts). Problems that do not stop the export come back as warnings.
 * The customers' portal PASSWORD is written only when asked for: named in `columns`, or with
 * `includePassword`.
 */
export function chooseColumns(object: ObjectDef, seenKeys: Iterable<string>, options: ColumnOptions): { columns: OutputColumn[]; warnings: string[] } {
  const warnings: string[] = [];
  const tags = defaultTags(object, seenKeys);
  let all: OutputColumn[] = options.mapping
    ? options.mapping.map((c) => ({ header: c.column, tag: c.tag, valueMap: c.valueMap, date: c.date }))
    : tags.map((tag) => ({ header: tag, tag }));
  if (options.mapping) {
    const present = new Set(tags);
    for (const column of all) {
      if (!present.has(column.tag)) warnings.push(`mapping field ${column.tag} (column ${column.header}) is not in the replies: written empty`);
    }
  }
  if (options.columns && options.columns.length > 0) {
    // A column named explicitly is written, the password too.
    const byHeader = new Map(all.map((c) => [options.mapping ? c.header : c.header.toUpperCase(), c]));
    all = options.columns.map((name) => {
      const key = options.mapping ? name : name.toUpperCase();
      const found = byHeader.get(key);
      if (found) return found;
      warnings.push(`column ${name} is not in the replies${options.mapping ? ' nor in the mapping' : ''}: written empty`);
      return { header: name, tag: key };
    });
  } else if (!options.includePassword && all.some((c) => SECRET_TAGS.has(c.tag))) {
    all = all.filter((c) => !SECRET_TAGS.has(c.tag));
    if (options.mapping) warnings.push('the mapping maps PASSWORD: not written (add --include-password to write it)');
  }
  return { columns: all, warnings };
}

/** Reply fields holding dates or timestamps (CREATEDDATE, LASTMODDATE, DUEDATE...). */
export function isDateTag(tag: string): boolean {
  return tag.endsWith('DATE');
}

/**
 * The cell of one column: dates in the mapping's format, else ISO 8601 for date fields (unless
 * raw), then the mapping's value map.
 */
export function cellValue(column: OutputColumn, item: Item, options: CellOptions): string {
  let value = item[column.tag] ?? '';
  if (column.date !== undefined) value = formatDate(value, column.date);
  else if (!options.rawDates && isDateTag(column.tag)) value = replyDateToIso(value, options.timeZone);
  value = column.valueMap?.get(value) ?? value;
  return options.escapeFormulas ? escapeFormula(value) : value;
}

/**
 * The --columns names no column can answer: neither a reply field of the object, nor a field the
 * tenant's records carry (custom fields), nor a column of the mapping. Checked before the walk:
 * found in review, a misspelt column was written empty with exit 0.
 */
export function unknownColumns(object: ObjectDef, names: readonly string[], tenantFields: ReadonlySet<string> | undefined, mapping?: readonly ReverseColumn[]): string[] {
  const known = new Set<string>(replyFields(object).map((f) => f.tag));
  for (const tag of tenantFields ?? []) known.add(tag.toUpperCase());
  const mapped = new Set((mapping ?? []).map((c) => c.column));
  return names.filter((name) => !(mapping ? mapped.has(name) : known.has(name.toUpperCase())));
}
