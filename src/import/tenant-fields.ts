import { ConfigError } from '../protocol/errors.js';
import { didYouMean } from '../mapping/did-you-mean.js';
import type { Mapping } from '../mapping/types.js';

/**
 * A mapping's declared custom fields checked against the tenant's: one the tenant lacks would fail
 * every row with "not a valid tag" (found in review: a dry run passed, the real run failed them
 * all). Throws a ConfigError naming each, with a suggestion.
 */
export function checkCustomFields(mapping: Mapping, tenantFields: ReadonlySet<string>, tenant: string): void {
  const missing = mapping.customFields.filter((tag) => !tenantFields.has(tag.toUpperCase()));
  if (missing.length === 0) return;
  const lines = missing.map((tag) => {
    const near = didYouMean(tag, tenantFields);
    return `${mapping.file}: fields.${tag}: ${tag} is not a custom field of tenant ${tenant}'s ${mapping.object} records${near ? ` (did you mean ${near}?)` : ''}`;
  });
  const has = [...tenantFields].sort();
  throw new ConfigError(
    `mapping ${mapping.file} names ${missing.length === 1 ? 'a custom field' : `${missing.length} custom fields`} the tenant does not have:\n${lines.join('\n')}`,
    has.length > 0 ? `the tenant's ${mapping.object} records carry: ${has.join(', ')}` : `the tenant's ${mapping.object} records carry no custom fields`,
    'MAPPING_INVALID',
  );
}
