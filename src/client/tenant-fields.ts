import { CATALOGUE, type ObjectName } from '../protocol/catalogue.js';
import type { WapiClient } from './wapi-client.js';

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
