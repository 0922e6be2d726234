import { replyFields, type ObjectDef } from '../protocol/catalogue.js';
import { replyDateToIso } from './dates.js';
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
}

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
    const byHeader = new Map(all.map((c) => [options.mapping ? c.header : c.header.toUpperCase(), c]));
    all = options.columns.map((name) => {
      const key = options.mapping ? name : name.toUpperCase();
      const found = byHeader.get(key);
      if (found) return found;
      warnings.push(`column ${name} is not in the replies${options.mapping ? ' nor in the mapping' : ''}: written empty`);
      return { header: name, tag: key };
    });
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
export function cellValue(column: OutputColumn, item: Item, rawDates: boolean): string {
  let value = item[column.tag] ?? '';
  if (column.date !== undefined) value = formatDate(value, column.date);
  else if (!rawDates && isDateTag(column.tag)) value = replyDateToIso(value);
  return column.valueMap?.get(value) ?? value;
}
