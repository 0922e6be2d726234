import { CATALOGUE, type ObjectName } from '../protocol/catalogue.js';
import { ConfigError } from '../protocol/errors.js';
import type { WapiClient } from '../client/wapi-client.js';
import { didYouMean } from '../mapping/did-you-mean.js';
import type { Mapping } from '../mapping/types.js';

/**
 * The tags a tenant's records carry beyond the catalogue: its custom fields (and whatever else a
 * live tenant adds, such as PBX). The API has no call that lists custom fields (CUSTOMFIELD GET
 * answers picklists only), but a GET reply carries every field of a record, so one record
 * tells them all. Undefined when the tenant has no record of the object to learn from.
 */
export async function readTenantFields(client: WapiClient, object: ObjectName, signal?: AbortSignal): Promise<Set<string> | undefined> {
  const def = CATALOGUE[object];
  let tags: Array<[string, string]>;
  if (object === 'FOLLOWUP') {
    tags = [['CASENUM', '%']];
  } else {
    const summary = await client.call({ object, action: 'GET', tags: [] }, { signal });
    const first = summary.items[0]?.['FIRSTID']?.trim();
    if (!first) return undefined;
    tags = [[def.idTag, first]];
  }
  const reply = await client.call({ object, action: 'GET', tags }, { signal });
  const item = reply.items[0];
  if (!item) return undefined;
  const known = new Set(def.fields.flatMap((f) => (f.alias ? [f.tag, f.alias] : [f.tag])));
  return new Set(Object.keys(item).filter((tag) => !known.has(tag)));
}

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
