/**
 * One CSV row through a mapping: the fields to send, the references still to resolve, and
 * warnings. Pure: no network, no tenant. Per field, in this order: take the column, constant or
 * template; normalise line ends; trim and transform; map; default when empty; convert dates;
 * truncate. Empty results are left out rather than sent empty (a Modify keeps fields not sent,
 * README, "Protocol notes", "MODIFY sends only what you map").
 */
import { normaliseLineEnds } from '../protocol/escape.js';
import { formatCrmDate, parseDate } from './date-format.js';
import { RowError } from './row-error.js';
import { fillTemplate, templateColumns } from './template.js';
import { applyTransform, charLength, truncateChars } from './transforms.js';
import type { FieldMapping, Mapping, MappedRow } from './types.js';

/** Where a field's value came from, for messages: `column due_at`, `template "{a} {b}"`. */
function sourceOf(field: FieldMapping): string {
  if (field.column !== undefined) return `column ${field.column}`;
  if (field.template) return `columns ${templateColumns(field.template).join(', ')}`;
  return field.value !== undefined ? `value of ${field.path}` : `default of ${field.path}`;
}

// Each map folded to lower case once, not once per row. The first spelling of a key wins.
const foldedMaps = new WeakMap<object, Map<string, string>>();

function lookUp(map: Readonly<Record<string, string>>, value: string): string | undefined {
  if (Object.hasOwn(map, value)) return map[value];
  let folded = foldedMaps.get(map);
  if (!folded) {
    folded = new Map();
    for (const [k, v] of Object.entries(map)) if (!folded.has(k.toLowerCase())) folded.set(k.toLowerCase(), v);
    foldedMaps.set(map, folded);
  }
  return folded.get(value.toLowerCase());
}

/** The value of one field for a row, before any reference is resolved ('' when empty). */
function mapValue(field: FieldMapping, row: Readonly<Record<string, string>>, mapping: Mapping, warnings: string[]): string {
  let value: string;
  if (field.value !== undefined) value = field.value;
  else if (field.template) value = fillTemplate(field.template, row);
  else if (field.column !== undefined) value = row[field.column] ?? '';
  else value = '';
  value = normaliseLineEnds(value);
  if (field.trim) value = value.trim();
  for (const step of field.transform) value = applyTransform(step, value);

  // Whitespace alone is no value: a CSV cell of spaces is an empty cell. An empty value goes
  // to `default`; `otherwise` is for values the map does not know.
  if (value.trim() === '') value = '';
  if (field.map && value !== '') {
    const mapped = lookUp(field.map, value);
    if (mapped !== undefined) value = mapped;
    else if (field.otherwise !== undefined) value = field.otherwise;
  } else if (field.map && Object.hasOwn(field.map, '')) {
    value = field.map[''] as string;
  }
  if (value.trim() === '' && field.default !== undefined) value = normaliseLineEnds(field.default);

  if (field.date && field.dateTarget && value !== '') {
    const parts = parseDate(value, field.date, mapping.timezone);
    if (!parts) {
      const expected = field.date.iso ? 'an ISO 8601 date (YYYY-MM-DD, optionally with a time and offset)' : `a date in ${field.date.source}`;
      throw new RowError(`${field.tag}: ${JSON.stringify(value)} is not ${expected} (${sourceOf(field)})`, {
        stage: 'map',
        field: field.tag,
        column: field.column,
        hint: `fix the value, or the date format in ${field.path}.date`,
      });
    }
    value = formatCrmDate(parts, field.dateTarget);
  }

  if (field.truncate !== undefined && charLength(value) > field.truncate) {
    warnings.push(`${field.tag}: cut from ${charLength(value)} to ${field.truncate} characters (${sourceOf(field)})`);
    value = truncateChars(value, field.truncate);
  }
  return value.trim() === '' ? '' : value;
}

export function applyMapping(mapping: Mapping, row: Readonly<Record<string, string>>): MappedRow {
  const out: MappedRow = { fields: [], refs: [], warnings: [] };
  for (const field of mapping.fields) {
    const value = mapValue(field, row, mapping, out.warnings);
    if (value === '') continue;
    if (field.ref) out.refs.push({ tag: field.tag, ref: field.ref, value });
    else out.fields.push([field.tag, value]);
  }

  if (mapping.id !== undefined) {
    const id = (row[mapping.id] ?? '').trim();
    if (id === '') {
      throw new RowError(`the id column ${mapping.id} is empty, and modify needs the record's id to change it`, {
        stage: 'map',
        column: mapping.id,
        hint: 'fill the id, or import the row with a mapping whose action is add',
      });
    }
    out.id = id;
  }
  if (mapping.match !== undefined && !out.fields.some(([tag]) => tag === mapping.match) && !out.refs.some((r) => r.tag === mapping.match)) {
    const field = mapping.fields.find((f) => f.tag === mapping.match);
    throw new RowError(`${mapping.match}: empty, and ${mapping.action} finds the record by it (${field ? sourceOf(field) : 'match'})`, {
      stage: 'map',
      field: mapping.match,
      column: field?.column,
      hint: `fill the value, or import the row with a mapping whose action is add`,
    });
  }
  return out;
}
