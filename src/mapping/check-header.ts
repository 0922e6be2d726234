/**
 * The columns a mapping names that a CSV header lacks, found once at the start of a run
 * (issue 4: "columns the mapping names but the CSV header lacks are named at start").
 */
import { templateColumns } from './template.js';
import type { Mapping } from './types.js';

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

/** One message per column the mapping names and the header lacks; empty when all are there. */
export function checkHeader(mapping: Mapping, header: readonly string[]): string[] {
  const present = new Set(header);
  const messages: string[] = [];
  for (const [column, path] of mappingColumns(mapping)) {
    if (present.has(column)) continue;
    const near = header.find((h) => fold(h) === fold(column));
    const hint = near !== undefined ? ` (did you mean ${JSON.stringify(near)}?)` : '';
    messages.push(`${mapping.file}: ${path}: column ${JSON.stringify(column)} is not in the CSV header${hint}`);
  }
  return messages;
}
