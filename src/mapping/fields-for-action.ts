/**
 * The mapped fields one action sends. An upsert does not know until its GET whether a row is
 * added or modified, and some fields exist only in one of the guide's tables (a case's
 * ACCOUNTNUM is Add-only: a case never moves to another customer).
 */
import type { Mapping } from './types.js';

export function fieldsForAction(
  mapping: Mapping,
  action: 'ADD' | 'MODIFY',
  fields: ReadonlyArray<readonly [string, string]>,
): Array<[string, string]> {
  const byTag = new Map(mapping.fields.map((f) => [f.tag, f]));
  return fields
    .filter(([tag]) => {
      const field = byTag.get(tag);
      // Tags the mapping does not know (the id, a resolved reference's parent) are the caller's.
      return field === undefined || (action === 'ADD' ? field.onAdd : field.onModify);
    })
    .map(([tag, value]) => [tag, value]);
}
