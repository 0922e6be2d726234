/**
 * The columns a mapping names that a CSV header lacks, found once at the start of a run
 * (issue 4: "columns the mapping names but the CSV header lacks are named at start").
 */
import { templateColumns } from './template.js';
import type { Mapping } from './types.js';

const BOM = '\uFEFF';
// Case, spaces and a stray byte-order mark are the differences a person does not see.
const fold = (name: string): string => name.replace(/^\uFEFF/, '').toLowerCase().replace(/\s+/g, '');

/** Every [column, path] the mapping reads. */
export function mappingColumns(mapping: Mapping): Array<[column: string, path: string]> {
  const out: Array<[string, string]> = [[mapping.key, 'key']];
  if (mapping.id !== undefined) out.push([mapping.id, 'id']);
  for (const field of mapping.fields) {
    if (field.column !== undefined) out.push([field.column, `${field.path}.column`]);
    if (field.template) for (const c of templateColumns(field.template)) out.push([c, `${field.path}.template`]);
  }
  return out;
}

const DELIMITER_NAMES: Record<string, string> = { ';': '";"', '\t': '"\\t"', '|': '"|"', ',': '","' };

/**
 * When the header was split on the wrong delimiter, one "column" holds several of the mapping's
 * columns: say which delimiter the header uses (found in review: a `;` file gave one "not in the
 * header" line per field and nothing else).
 */
export function sniffDelimiter(mapping: Mapping, header: readonly string[]): string | undefined {
  const wanted = new Set(mappingColumns(mapping).map(([c]) => fold(c)));
  let best: { delimiter: string; hits: number } | undefined;
  for (const delimiter of Object.keys(DELIMITER_NAMES)) {
    if (delimiter === mapping.csv.delimiter) continue;
    // Only names the delimiter would split count: a header already right has none.
    const hits = header.filter((h) => h.includes(delimiter)).flatMap((h) => h.split(delimiter)).filter((part) => wanted.has(fold(part))).length;
    if (hits >= 2 && hits > (best?.hits ?? 0)) best = { delimiter, hits };
  }
  if (!best) return undefined;
  return `the header looks ${DELIMITER_NAMES[best.delimiter]}-delimited: add csv: { delimiter: ${DELIMITER_NAMES[best.delimiter]} } to the mapping`;
}

/** One message per column the mapping names and the header lacks; empty when all are there. */
export function checkHeader(mapping: Mapping, header: readonly string[]): string[] {
  const present = new Set(header);
  const byFold = new Map<string, string>();
  for (const h of header) if (!byFold.has(fold(h))) byFold.set(fold(h), h);
  const messages: string[] = [];
  for (const [column, path] of mappingColumns(mapping)) {
    if (present.has(column)) continue;
    const near = byFold.get(fold(column));
    let hint = '';
    if (near !== undefined && near.startsWith(BOM) && near.slice(1) === column) {
      // Never suggest a name with an invisible character in it: say what it is.
      hint = ' (the header starts with a byte-order mark that was kept: remove csv.bom: false from the mapping)';
    } else if (near !== undefined) {
      hint = ` (did you mean ${JSON.stringify(near.replace(/^\uFEFF/, ''))}?${near.startsWith(BOM) ? ' The header also starts with a byte-order mark: remove csv.bom: false' : ''})`;
    }
    messages.push(`${mapping.file}: ${path}: column ${JSON.stringify(column)} is not in the CSV header${hint}`);
  }
  return messages;
}
